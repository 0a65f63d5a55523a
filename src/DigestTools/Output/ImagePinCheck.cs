using System.Management.Automation;
using DigestTools.Engine.Errors;
using DigestTools.Engine.PinFiles;

namespace DigestTools
{
    /// <summary>What Test-ImagePin found for a reference (the engine's ImagePinStatus, as PowerShell sees it).</summary>
    public enum ImagePinStatus
    {
        Pinned = Engine.PinFiles.ImagePinStatus.Pinned,
        TagMoved = Engine.PinFiles.ImagePinStatus.TagMoved,
        PinMissing = Engine.PinFiles.ImagePinStatus.PinMissing,
        Unpinned = Engine.PinFiles.ImagePinStatus.Unpinned,
        Unresolvable = Engine.PinFiles.ImagePinStatus.Unresolvable,
    }

    /// <summary>Output of Test-ImagePin: one image reference in one file and its status.</summary>
    public sealed class ImagePinCheck
    {
        public string File { get; set; }
        public int Line { get; set; }
        public int Column { get; set; }
        public string Context { get; set; }

        /// <summary>The reference as the file writes it.</summary>
        public string Reference { get; set; }

        /// <summary>The digest the file pins; null when Unpinned.</summary>
        public string Digest { get; set; }

        /// <summary>The digest the tag names now, when it was asked.</summary>
        public string CurrentDigest { get; set; }

        public string Platform { get; set; }
        public ImagePinStatus Status { get; set; }
        public string Reason { get; set; }

        /// <summary>The registry error behind an Unresolvable status, as an ErrorRecord; null otherwise.</summary>
        public ErrorRecord Error { get; set; }

        internal static ImagePinCheck From(ImagePinFinding finding)
        {
            var check = new ImagePinCheck
            {
                File = finding.File,
                Line = finding.Site.Line,
                Column = finding.Site.Column,
                Context = finding.Site.Context,
                Reference = finding.Site.Text,
                Digest = finding.Digest,
                CurrentDigest = finding.CurrentDigest,
                Platform = finding.Site.Platform,
                Status = (ImagePinStatus)(int)finding.Status,
                Reason = finding.Reason,
            };
            if (finding.Error != null) check.Error = ErrorRecords.From(finding.Error, check);
            return check;
        }

        public override string ToString() => $"{File}:{Line} {Reference} {Status}";
    }
}
