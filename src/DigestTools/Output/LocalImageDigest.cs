namespace DigestTools
{
    /// <summary>
    /// Output of Get-ImageDigest -Local: one row of `docker images --digests`, as an object. An image
    /// built or loaded locally and never pulled has no registry digest: Digest is null, HasRegistryDigest false.
    /// </summary>
    public sealed class LocalImageDigest
    {
        /// <summary>The repository as docker shows it ("busybox", "127.0.0.1:5000/fixtures/busybox"); null for a dangling image.</summary>
        public string Repository { get; set; }

        /// <summary>The tag, or null for a digest-only or dangling row.</summary>
        public string Tag { get; set; }

        /// <summary>The registry manifest digest, or null when the image has none for this repository.</summary>
        public string Digest { get; set; }

        public bool HasRegistryDigest => Digest != null;

        /// <summary>"Pinned" when a registry digest is known, else "NoRegistryDigest".</summary>
        public string Status => HasRegistryDigest ? "Pinned" : "NoRegistryDigest";

        /// <summary>repository:tag (or repository alone); binds by property name to the engine cmdlets.</summary>
        public string Reference { get; set; }

        /// <summary>repository@digest, or null without a registry digest.</summary>
        public string PinnedReference { get; set; }

        public string ImageId { get; set; }

        /// <summary>Every registry digest the engine knows for this repository on this image (they accumulate).</summary>
        public string[] Digests { get; set; }

        public System.DateTime? Created { get; set; }
        public long Size { get; set; }

        /// <summary>The engine whose image this is (several -EngineUri addresses list every engine).</summary>
        public string Engine { get; set; }

        internal static LocalImageDigest From(DigestTools.Engine.Pinning.LocalDigestRow row, string engine) => new LocalImageDigest
        {
            Engine = engine,
            Repository = row.Repository,
            Tag = row.Tag,
            Digest = row.Digest,
            Reference = row.Reference,
            PinnedReference = row.PinnedReference,
            ImageId = row.ImageId,
            Digests = row.Digests,
            Created = row.Created,
            Size = row.Size,
        };

        public override string ToString() => PinnedReference ?? Reference ?? ImageId;
    }
}
