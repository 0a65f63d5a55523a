namespace DigestTools
{
    /// <summary>
    /// What Get-ImageDigest found for one reference: the digest to pin, the selected platform's digest for a
    /// multi-platform image, and a PinnedReference the engine cmdlets (and docker pull/run) take as-is.
    /// Its property names bind by name to the next cmdlet in a pipeline (Reference, PinnedReference, Digest).
    /// </summary>
    public sealed class ImageDigestInfo
    {
        internal ImageDigestInfo(ImageReference reference, string tag, string digest, string mediaType, long size,
            string platform, string platformDigest, string[] platforms, string pinnedReference,
            int? rateLimitLimit, int? rateLimitRemaining)
        {
            _reference = reference;
            Tag = tag;
            Digest = digest;
            MediaType = mediaType;
            Size = size;
            Platform = platform;
            PlatformDigest = platformDigest;
            Platforms = platforms ?? new string[0];
            PinnedReference = pinnedReference;
            RateLimitLimit = rateLimitLimit;
            RateLimitRemaining = rateLimitRemaining;
        }

        private readonly ImageReference _reference;

        /// <summary>
        /// The reference as given, normalized (docker.io/library/ubuntu:22.04). A plain string, like PinnedReference,
        /// so ConvertTo-Json and Export-Csv write one value; its parts are Registry, Repository and Tag, and
        /// [DigestTools.ImageReference]$info.Reference gives the typed form.
        /// </summary>
        public string Reference => _reference.ToString();

        public string Registry => _reference.Registry;

        public string Repository => _reference.Repository;

        /// <summary>The tag resolved ("latest" when the reference named neither tag nor digest), or null for a digest-only reference.</summary>
        public string Tag { get; }

        /// <summary>The digest the reference names today: the index digest for a multi-platform image.</summary>
        public string Digest { get; }

        public string MediaType { get; }

        /// <summary>Size in bytes of the manifest (or index) itself.</summary>
        public long Size { get; }

        /// <summary>The platform selected from an index ("linux/arm64/v8"); null for a single-platform manifest.</summary>
        public string Platform { get; }

        /// <summary>The selected platform's manifest digest; equal to Digest for a single-platform manifest.</summary>
        public string PlatformDigest { get; }

        /// <summary>Every platform an index offers ("linux/amd64", "linux/arm64/v8"); attestations are not platforms. Empty for a single manifest.</summary>
        public string[] Platforms { get; }

        /// <summary>registry/repository:tag@digest: immutable, and still readable by people. A plain string, as on
        /// every output type, so JSON and CSV state files hold it as one value.</summary>
        public string PinnedReference { get; }

        /// <summary>The registry's rate limit (Docker Hub's ratelimit-limit), when it sends one.</summary>
        public int? RateLimitLimit { get; }

        public int? RateLimitRemaining { get; }

        public override string ToString() => PinnedReference ?? Reference;
    }
}
