using DigestTools.Engine.PinFiles;

namespace DigestTools
{
    /// <summary>What Update-ImagePin did to a reference (the engine's ImagePinAction, as PowerShell sees it).</summary>
    public enum ImagePinAction
    {
        Pinned = Engine.PinFiles.ImagePinAction.Pinned,
        Refreshed = Engine.PinFiles.ImagePinAction.Refreshed,
        AlreadyCurrent = Engine.PinFiles.ImagePinAction.AlreadyCurrent,
        Skipped = Engine.PinFiles.ImagePinAction.Skipped,
    }

    /// <summary>Output of Update-ImagePin: one image reference in one file.</summary>
    public sealed class ImagePinUpdate
    {
        public string File { get; set; }
        public int Line { get; set; }
        public int Column { get; set; }

        /// <summary>Where in the file: "FROM (stage build)", "service web", "Deployment/api containers[app]".</summary>
        public string Context { get; set; }

        /// <summary>The reference as the file wrote it before the update.</summary>
        public string Reference { get; set; }

        /// <summary>The text written in its place; null when it did not change.</summary>
        public string NewReference { get; set; }

        public string Digest { get; set; }

        /// <summary>registry/repository:tag@digest, ready for Invoke-ImagePull or New-PinnedContainer.</summary>
        public string PinnedReference { get; set; }

        public string Platform { get; set; }
        public ImagePinAction Action { get; set; }

        /// <summary>Why a reference was Skipped.</summary>
        public string Reason { get; set; }

        internal static ImagePinUpdate From(ImagePinFinding finding) => new ImagePinUpdate
        {
            File = finding.File,
            Line = finding.Site.Line,
            Column = finding.Site.Column,
            Context = finding.Site.Context,
            Reference = finding.Site.Text,
            NewReference = finding.NewText,
            Digest = finding.Digest,
            PinnedReference = finding.PinnedReference,
            Platform = finding.Site.Platform,
            Action = (ImagePinAction)(int)finding.Action,
            Reason = finding.Reason,
        };

        public override string ToString() => $"{File}:{Line} {NewReference ?? Reference}";
    }
}
