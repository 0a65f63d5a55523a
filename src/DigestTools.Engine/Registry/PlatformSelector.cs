using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;

namespace DigestTools.Engine.Registry
{
    /// <summary>
    /// Chooses one platform's manifest from an index, the way containerd (and so docker pull --platform)
    /// does: attestations are not platforms; "linux/arm64" and "linux/arm64/v8" are the same platform;
    /// an older variant is accepted when the requested one is missing (arm v7 takes v6, then v5), a newer
    /// one never (plain amd64 never takes an amd64/v3 image); with no platform asked for, the default is
    /// linux on this machine's architecture (Linux containers are what Docker runs by default on every OS).
    /// </summary>
    internal static class PlatformSelector
    {
        /// <summary>The real platforms of an index, in index order; attestation and platform-less entries left out.</summary>
        internal static List<PlatformManifest> ListPlatforms(IEnumerable<PlatformManifest> entries)
        {
            var platforms = new List<PlatformManifest>();
            foreach (PlatformManifest entry in entries)
            {
                if (IsAttestation(entry) || string.IsNullOrEmpty(entry.Os) || string.IsNullOrEmpty(entry.Architecture)) continue;
                if (string.IsNullOrEmpty(entry.Variant)) entry.Variant = null;
                platforms.Add(entry);
            }
            return platforms;
        }

        /// <summary>BuildKit's provenance/SBOM entries: platform unknown/unknown or the attestation annotation.</summary>
        internal static bool IsAttestation(PlatformManifest entry)
            => string.Equals(entry.ReferenceType, "attestation-manifest", StringComparison.Ordinal)
            || (string.Equals(entry.Os, "unknown", StringComparison.Ordinal) && string.Equals(entry.Architecture, "unknown", StringComparison.Ordinal));

        /// <summary>
        /// The best entry for <paramref name="requested"/> ("os/arch[/variant]"), or null, as containerd's
        /// platform matcher orders them: the requested variant first, then the older variants the same
        /// machine runs (arm v7 -> v6 -> v5; amd64 v3 -> v2 -> v1), never a newer one. Within one variant
        /// the first entry of the index wins.
        /// </summary>
        internal static PlatformManifest Select(IReadOnlyList<PlatformManifest> platforms, string requested)
        {
            if (!TryParse(requested, out string os, out string architecture, out string variant)) return null;
            bool variantGiven = variant != null;
            Normalize(ref architecture, ref variant);
            foreach (string acceptable in AcceptableVariants(architecture, variant))
            {
                foreach (PlatformManifest candidate in platforms)
                {
                    if (IsFor(candidate, os, architecture, out string candidateVariant) && candidateVariant == acceptable) return candidate;
                }
            }
            if (variantGiven || HasVariantLevels(architecture)) return null;
            // An architecture without known variant levels (ppc64le, s390x, riscv64 ...) asked for without a
            // variant: the first entry of that os/arch, whatever variant it names.
            return platforms.FirstOrDefault(candidate => IsFor(candidate, os, architecture, out _));
        }

        // True when the entry is for os/architecture after normalization; its normalized variant comes out.
        private static bool IsFor(PlatformManifest candidate, string os, string architecture, out string variant)
        {
            string candidateArchitecture = candidate.Architecture?.ToLowerInvariant();
            variant = candidate.Variant?.ToLowerInvariant();
            Normalize(ref candidateArchitecture, ref variant);
            return string.Equals(candidate.Os, os, StringComparison.OrdinalIgnoreCase) && candidateArchitecture == architecture;
        }

        /// <summary>
        /// The normalized variants a machine of <paramref name="architecture"/>/<paramref name="variant"/> runs,
        /// best first: arm vN runs vN down to v5; amd64 vN (null is v1) runs vN down to v1; anything else only itself.
        /// </summary>
        internal static IEnumerable<string> AcceptableVariants(string architecture, string variant)
        {
            yield return variant;
            int level = VariantLevel(variant);
            if (architecture == "arm" && level > 5)
            {
                for (int older = level - 1; older >= 5; older--) yield return "v" + older;
            }
            else if (architecture == "amd64" && level > 1)
            {
                for (int older = level - 1; older >= 2; older--) yield return "v" + older;
                yield return null;   // v1, written without a variant
            }
        }

        private static bool HasVariantLevels(string architecture) => architecture == "arm" || architecture == "amd64" || architecture == "arm64";

        // "v7" -> 7; anything else (null, "v8.2", "foo") -> 0.
        private static int VariantLevel(string variant)
            => variant != null && variant.Length > 1 && variant[0] == 'v'
               && int.TryParse(variant.Substring(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int level)
               ? level : 0;

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
