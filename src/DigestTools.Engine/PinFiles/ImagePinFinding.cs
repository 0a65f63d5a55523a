using DigestTools.Engine.Errors;
using DigestTools.Engine.References;

namespace DigestTools.Engine.PinFiles
{
    /// <summary>What Update-ImagePin did (or would do) with one reference.</summary>
    public enum ImagePinAction
    {
        /// <summary>An unpinned reference got the digest its tag names.</summary>
        Pinned,
        /// <summary>A pin whose tag had moved got the tag's new digest (-Refresh).</summary>
        Refreshed,
        /// <summary>The pin already holds the digest the tag names.</summary>
        AlreadyCurrent,
        /// <summary>Left as it was; Reason says why.</summary>
        Skipped,
    }

    /// <summary>What Test-ImagePin found for one reference.</summary>
    public enum ImagePinStatus
    {
        /// <summary>The digest exists and is still what the tag names (or there is no tag to compare with).</summary>
        Pinned,
        /// <summary>The digest exists but the tag now names another one (CurrentDigest).</summary>
        TagMoved,
        /// <summary>The pinned digest, or its child manifest for the file's platform, no longer resolves.</summary>
        PinMissing,
        /// <summary>The reference names no digest.</summary>
        Unpinned,
        /// <summary>It could not be checked: a variable without default, an invalid reference, a registry error.</summary>
        Unresolvable,
    }

    /// <summary>One image reference of one file and what became of it.</summary>
    public sealed class ImagePinFinding
    {
        public ImagePinFinding(string file, ImageSite site)
        {
            File = file;
            Site = site;
        }

        public string File { get; }
        public ImageSite Site { get; }

        /// <summary>The reference once parsed (variables at their defaults); null when it is not one.</summary>
        public ParsedReference Parsed { get; internal set; }

        /// <summary>Update: the digest now written (or already there). Test: the digest the file pins.</summary>
        public string Digest { get; internal set; }

        /// <summary>The digest the tag names at the registry now, when the tag was asked.</summary>
        public string CurrentDigest { get; internal set; }

        /// <summary>Update: the text that replaces Site.Text; null when nothing changes.</summary>
        public string NewText { get; internal set; }

        /// <summary>name:tag@digest in canonical form, once a digest is known.</summary>
        public string PinnedReference { get; internal set; }

        public ImagePinAction Action { get; internal set; }
        public ImagePinStatus Status { get; internal set; }
        public string Reason { get; internal set; }

        /// <summary>The registry failure that stopped this reference, if any.</summary>
        public FailureException Error { get; internal set; }

        internal void Skip(string reason)
        {
            Action = ImagePinAction.Skipped;
            Status = ImagePinStatus.Unresolvable;
            Reason = reason;
        }
    }
}
