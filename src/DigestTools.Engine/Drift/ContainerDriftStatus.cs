namespace DigestTools.Engine.Drift
{
    /// <summary>The workflow's verdict for one container (mirrored by the public DigestTools.DriftStatus).</summary>
    public enum ContainerDriftStatus
    {
        /// <summary>The container runs what its tag names now (or, with no tag to follow, its digest still resolves).</summary>
        Current,
        /// <summary>The tag now names other bytes than the container runs.</summary>
        TagMoved,
        /// <summary>The digest the container runs no longer resolves (the manifest, or an index's child for its platform, is gone).</summary>
        PinMissing,
        /// <summary>The image has no registry digest: built or committed locally.</summary>
        LocalOnly,
        /// <summary>The registry could not be asked; Error says why.</summary>
        Unknown,
    }
}
