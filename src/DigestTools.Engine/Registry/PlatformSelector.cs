using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;

namespace DigestTools.Engine.Registry
{
    /// <summary>
    /// Chooses one platform's manifest from an index, the way docker pull --platform does:
    /// attestations are not platforms; "linux/arm64" and "linux/arm64/v8" are the same platform;
    /// amd64 has no variant; with no platform asked for, the default is linux on this machine's
    /// architecture (Linux containers are what Docker runs by default on every OS).
    /// </summary>
    internal static class PlatformSelector
    {
        /// <summary>The real platforms of an index, in index order; attestation and platform-less entries left out.</summary>
        internal static List<PlatformManifest> ListPlatforms(IEnumerable<ManifestDocument.IndexEntry> entries)
        {
            var platforms = new List<PlatformManifest>();
            foreach (ManifestDocument.IndexEntry entry in entries)
            {
                if (IsAttestation(entry) || string.IsNullOrEmpty(entry.Os) || string.IsNullOrEmpty(entry.Architecture)) continue;
                platforms.Add(new PlatformManifest
                {
                    Os = entry.Os,
                    Architecture = entry.Architecture,
                    Variant = string.IsNullOrEmpty(entry.Variant) ? null : entry.Variant,
                    OsVersion = entry.OsVersion,
                    Digest = entry.Digest,
                    MediaType = entry.MediaType,
                    Size = entry.Size,
                });
            }
            return platforms;
        }

        /// <summary>BuildKit's provenance/SBOM entries: platform unknown/unknown or the attestation annotation.</summary>
        internal static bool IsAttestation(ManifestDocument.IndexEntry entry)
            => string.Equals(entry.ReferenceType, "attestation-manifest", StringComparison.Ordinal)
            || (string.Equals(entry.Os, "unknown", StringComparison.Ordinal) && string.Equals(entry.Architecture, "unknown", StringComparison.Ordinal));

        /// <summary>
        /// The entry for <paramref name="requested"/> ("os/arch[/variant]"), or null. An exact match after
        /// normalization wins; when the request names no variant, the first entry of that os/arch follows.
        /// </summary>
        internal static PlatformManifest Select(IReadOnlyList<PlatformManifest> platforms, string requested)
        {
            if (!TryParse(requested, out string os, out string architecture, out string variant)) return null;
            bool variantGiven = variant != null;
            Normalize(ref architecture, ref variant);
            PlatformManifest sameArchitecture = null;
            foreach (PlatformManifest candidate in platforms)
            {
                string candidateArchitecture = candidate.Architecture?.ToLowerInvariant();
                string candidateVariant = candidate.Variant?.ToLowerInvariant();
                Normalize(ref candidateArchitecture, ref candidateVariant);
                if (!string.Equals(candidate.Os, os, StringComparison.OrdinalIgnoreCase) || candidateArchitecture != architecture) continue;
                if (candidateVariant == variant) return candidate;
                if (!variantGiven && sameArchitecture == null) sameArchitecture = candidate;
            }
            return sameArchitecture;
        }

        /// <summary>"linux/" + this machine's architecture in Go's naming ("linux/amd64", "linux/arm64").</summary>
        internal static string DefaultPlatform()
        {
            switch (RuntimeInformation.OSArchitecture)
            {
                case Architecture.Arm64: return "linux/arm64";
                case Architecture.Arm: return "linux/arm/v7";
                case Architecture.X86: return "linux/386";
                default: return "linux/amd64";
            }
        }

        /// <summary>"os/arch[/variant]" with non-empty lowercase parts; false otherwise.</summary>
        internal static bool TryParse(string platform, out string os, out string architecture, out string variant)
        {
            os = architecture = variant = null;
            if (string.IsNullOrWhiteSpace(platform)) return false;
            string[] parts = platform.Trim().ToLowerInvariant().Split('/');
            if (parts.Length < 2 || parts.Length > 3 || parts.Any(string.IsNullOrEmpty)) return false;
            os = parts[0];
            architecture = parts[1];
            variant = parts.Length == 3 ? parts[2] : null;
            return true;
        }

        /// <summary>The containerd normalization: aliases to Go names, default variants made explicit.</summary>
        internal static void Normalize(ref string architecture, ref string variant)
        {
            if (string.IsNullOrEmpty(variant)) variant = null;
            switch (architecture)
            {
                case "x86_64":
                case "x86-64":
                case "amd64":
                    architecture = "amd64";
                    if (variant == "v1") variant = null;
                    break;
                case "aarch64":
                case "arm64":
                    architecture = "arm64";
                    if (variant == null || variant == "8") variant = "v8";
                    break;
                case "armhf":
                    architecture = "arm";
                    variant = "v7";
                    break;
                case "armel":
                    architecture = "arm";
                    variant = "v6";
                    break;
                case "arm":
                    if (variant == null) variant = "v7";
                    else if (variant.Length == 1 && char.IsDigit(variant[0])) variant = "v" + variant;
                    break;
                case "i386":
                case "386":
                    architecture = "386";
                    break;
            }
        }
    }
}
