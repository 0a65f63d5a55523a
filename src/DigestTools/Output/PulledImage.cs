namespace DigestTools
{
    /// <summary>
    /// Output of Invoke-ImagePull: what the engine holds after the pull, verified by digest.
    /// PinnedReference binds by property name to New-PinnedContainer.
    /// </summary>
    public sealed class PulledImage
    {
        /// <summary>The reference as given (tag, digest or both).</summary>
        public string Reference { get; set; }

        /// <summary>Registry/repository, e.g. "127.0.0.1:5000/fixtures/busybox".</summary>
        public string Repository { get; set; }

        public string Tag { get; set; }

        /// <summary>The manifest digest the engine pulled and recorded (the index digest for multi-platform images).</summary>
        public string Digest { get; set; }

        /// <summary>repository@digest: the immutable name to create containers from.</summary>
        public string PinnedReference { get; set; }

        /// <summary>The local image id (sha256 of its config).</summary>
        public string ImageId { get; set; }

        public string[] RepoTags { get; set; }
        public string[] RepoDigests { get; set; }

        /// <summary>"os/arch[/variant]" of the image the engine stored.</summary>
        public string Platform { get; set; }

        /// <summary>The engine address used.</summary>
        public string Engine { get; set; }

        internal static PulledImage From(DigestTools.Engine.Pinning.PullResult pulled) => new PulledImage
        {
            Reference = pulled.Reference,
            Repository = pulled.Repository,
            Tag = pulled.Tag,
            Digest = pulled.Digest,
            PinnedReference = pulled.PinnedReference,
            ImageId = pulled.ImageId,
            RepoTags = pulled.RepoTags,
            RepoDigests = pulled.RepoDigests,
            Platform = pulled.Platform,
            Engine = pulled.Engine,
        };

        public override string ToString() => PinnedReference;
    }
}
