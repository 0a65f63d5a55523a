namespace DigestTools
{
    /// <summary>Get-ImageDrift's verdict for one container.</summary>
    public enum DriftStatus
    {
        /// <summary>The container runs what its tag names now (with no tag to follow: its digest still resolves).</summary>
        Current,
        /// <summary>The tag now names other bytes than the container runs.</summary>
        TagMoved,
        /// <summary>The digest the container runs no longer resolves in the registry (the manifest, or an index's child for the container's platform, is gone).</summary>
        PinMissing,
        /// <summary>The image has no registry digest: built or committed locally.</summary>
        LocalOnly,
        /// <summary>The registry could not be asked; Error holds the ErrorRecord also written to the error stream.</summary>
        Unknown,
    }
}
