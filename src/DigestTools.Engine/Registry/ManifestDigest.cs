using System;
using System.Security.Cryptography;

namespace DigestTools.Engine.Registry
{
    /// <summary>
    /// Digest checks for registry answers: the format of a Docker-Content-Digest header and the hash of
    /// raw manifest bytes. The engine keeps its own small copy of the go-digest rules rather than linking
    /// DigestTools/DigestFormat.cs, because a linked file would compile one type into both assemblies and
    /// the two must stay independent (the engine loads in its own context).
    /// </summary>
    internal static class ManifestDigest
    {
        /// <summary>sha256, sha384 or sha512 with exactly the right number of lowercase hex digits.</summary>
        internal static bool IsWellFormed(string digest)
        {
            if (string.IsNullOrEmpty(digest)) return false;
            int colon = digest.IndexOf(':');
            if (colon <= 0) return false;
            int expected = HexLength(digest.Substring(0, colon));
            if (expected == 0 || digest.Length - colon - 1 != expected) return false;
            for (int i = colon + 1; i < digest.Length; i++)
            {
                char c = digest[i];
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
            }
            return true;
        }

        /// <summary>The digest of <paramref name="content"/> with the algorithm named by <paramref name="algorithmOf"/> (sha256 when null).</summary>
        internal static string Compute(byte[] content, string algorithmOf = null)
        {
            string algorithm = AlgorithmOf(algorithmOf) ?? "sha256";
            using (HashAlgorithm hash = Create(algorithm))
            {
                return algorithm + ":" + ToHex(hash.ComputeHash(content));
            }
        }

        internal static bool Matches(byte[] content, string digest)
            => IsWellFormed(digest) && string.Equals(Compute(content, digest), digest, StringComparison.Ordinal);

        private static string AlgorithmOf(string digest)
        {
            if (digest == null) return null;
            int colon = digest.IndexOf(':');
            return colon > 0 ? digest.Substring(0, colon) : null;
        }

        private static int HexLength(string algorithm)
        {
            switch (algorithm)
            {
                case "sha256": return 64;
                case "sha384": return 96;
                case "sha512": return 128;
                default: return 0;
            }
        }

        private static HashAlgorithm Create(string algorithm)
        {
            switch (algorithm)
            {
                case "sha384": return SHA384.Create();
                case "sha512": return SHA512.Create();
                default: return SHA256.Create();
            }
        }

        private static string ToHex(byte[] bytes)
        {
            const string digits = "0123456789abcdef";
            var chars = new char[bytes.Length * 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = digits[bytes[i] >> 4];
                chars[2 * i + 1] = digits[bytes[i] & 0xF];
            }
            return new string(chars);
        }
    }
}
