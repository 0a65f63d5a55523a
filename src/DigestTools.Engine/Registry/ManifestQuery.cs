namespace DigestTools.Engine.Registry
{
    /// <summary>What to resolve: one repository on one registry, by tag or by digest.</summary>
    public sealed class ManifestQuery
    {
        /// <summary>Registry as written in the reference, e.g. "docker.io" or "127.0.0.1:5000".</summary>
        public string Registry { get; set; }

        /// <summary>Repository path, e.g. "library/ubuntu".</summary>
        public string Repository { get; set; }

        /// <summary>Tag to resolve; ignored when Digest is set.</summary>
        public string Tag { get; set; }

        /// <summary>When set, the manifest is checked to exist and to hash to this digest, not re-resolved.</summary>
        public string Digest { get; set; }

        /// <summary>Platform to select from an index, "os/arch[/variant]"; null means the caller's default.</summary>
        public string Platform { get; set; }

        /// <summary>What is asked of the registry: the digest, else the tag, else "latest".</summary>
        internal string TagOrDigest => Digest ?? (string.IsNullOrEmpty(Tag) ? "latest" : Tag);

        /// <summary>"registry/repository:tag" or "registry/repository@digest", for messages.</summary>
        internal string Display => Registry + "/" + Repository + (Digest != null ? "@" : ":") + TagOrDigest;
    }
}
