using System.Collections.Generic;

namespace DigestTools.Engine.Registry
{
    /// <summary>What the registry said about one reference.</summary>
    public sealed class ManifestResolution
    {
        /// <summary>Digest of the manifest the reference names (the index digest for a multi-platform image).</summary>
        public string Digest { get; set; }
        public string MediaType { get; set; }
        public long Size { get; set; }

        /// <summary>For an index: the selected platform ("linux/arm64/v8"); for a single manifest: its platform if known, else null.</summary>
        public string Platform { get; set; }

        /// <summary>For an index: the selected platform's manifest digest; for a single manifest: equal to Digest.</summary>
        public string PlatformDigest { get; set; }

        /// <summary>For an index: every real platform (attestations excluded); empty otherwise.</summary>
        public IReadOnlyList<PlatformManifest> Platforms { get; set; } = new PlatformManifest[0];

        /// <summary>Rate-limit headers when the registry sends them (Docker Hub), else null.</summary>
        public int? RateLimitLimit { get; set; }
        public int? RateLimitRemaining { get; set; }
    }
}
