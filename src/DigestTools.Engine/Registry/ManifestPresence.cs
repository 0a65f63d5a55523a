namespace DigestTools.Engine.Registry
{
    /// <summary>Whether a digest still resolves in its registry, the platform child of an index included.</summary>
    public sealed class ManifestPresence
    {
        /// <summary>True when the manifest, and for an index the child for the platform, both resolve.</summary>
        public bool Exists => MissingDigest == null;

        /// <summary>The digest the registry no longer has: the one asked for, or the index's platform child; null when present.</summary>
        public string MissingDigest { get; set; }

        /// <summary>The digest asked for.</summary>
        public string Digest { get; set; }

        /// <summary>Media type of the digest asked for (null when it is gone).</summary>
        public string MediaType { get; set; }

        /// <summary>For an index: its child for the platform; for a single manifest: the digest itself; null when the digest is gone.</summary>
        public string PlatformDigest { get; set; }
    }
}
