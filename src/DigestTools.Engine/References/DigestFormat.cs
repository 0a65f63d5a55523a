namespace DigestTools.Engine.References
{
    /// <summary>
    /// The digest rules of opencontainers/go-digest: "algorithm:hex" where only sha256, sha384 and sha512
    /// are supported, each with its exact length of lowercase hex. Shared by the reference parser and by
    /// the cmdlets that check digests coming back from registries and engines.
    /// </summary>
    internal static class DigestFormat
    {
        internal const string Sha256 = "sha256";
        internal const string Sha384 = "sha384";
        internal const string Sha512 = "sha512";

        /// <summary>True when <paramref name="digest"/> is a supported, well-formed digest.</summary>
        internal static bool IsValid(string digest) => Validate(digest) == null;

        /// <summary>
        /// Null when the digest is valid; otherwise the problem as a lowercase phrase without the digest
        /// itself (callers quote the input in their own sentence).
        /// </summary>
        internal static string Validate(string digest)
        {
            if (string.IsNullOrEmpty(digest)) return "the digest is empty";
            int colon = digest.IndexOf(':');
            if (colon < 0) return "a digest is algorithm:hex (for example sha256: followed by 64 hex characters)";

            string algorithm = digest.Substring(0, colon);
            string encoded = digest.Substring(colon + 1);
            if (!IsAlgorithmSyntax(algorithm)) return "invalid digest algorithm '" + algorithm + "'";

            int expected = HexLength(algorithm);
            if (expected == 0)
            {
                if (!IsEncodedSyntax(encoded)) return "invalid digest format";
                string hint = HexLength(algorithm.ToLowerInvariant()) != 0 ? "; algorithm names are lowercase" : "";
                return "unsupported digest algorithm '" + algorithm + "' (supported: sha256, sha384, sha512)" + hint;
            }
            if (encoded.Length != expected)
            {
                return "invalid digest length: " + algorithm + " needs " + expected + " hex characters, found " + encoded.Length;
            }
            return EncodedHexProblem(encoded);
        }

        /// <summary>Hex characters a supported algorithm needs, or 0 for an unsupported one.</summary>
        internal static int HexLength(string algorithm)
        {
            switch (algorithm)
            {
                case Sha256: return 64;
                case Sha384: return 96;
                case Sha512: return 128;
                default: return 0;
            }
        }

        /// <summary>True for lowercase hex of a supported algorithm's exact length (an image id's hex part).</summary>
        internal static bool IsHex(string value, int length)
        {
            if (value == null || value.Length != length) return false;
            foreach (char c in value)
            {
                if (!IsLowerHex(c)) return false;
            }
            return true;
        }

        // algorithm := [A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*
        private static bool IsAlgorithmSyntax(string algorithm)
        {
            bool expectLetter = true;
            foreach (char c in algorithm)
            {
                if (expectLetter)
                {
                    if (!IsAsciiLetter(c)) return false;
                    expectLetter = false;
                }
                else if (c == '-' || c == '_' || c == '+' || c == '.')
                {
                    expectLetter = true;
                }
                else if (!IsAsciiLetter(c) && !(c >= '0' && c <= '9'))
                {
                    return false;
                }
            }
            return !expectLetter;
        }

        // encoded := [a-zA-Z0-9=_-]+ (OCI image spec); only consulted for algorithms we do not support.
        private static bool IsEncodedSyntax(string encoded)
        {
            if (encoded.Length == 0) return false;
            foreach (char c in encoded)
            {
                if (!(IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '=' || c == '_' || c == '-')) return false;
            }
            return true;
        }

        private static string EncodedHexProblem(string encoded)
        {
            foreach (char c in encoded)
            {
                if (IsLowerHex(c)) continue;
                if (c >= 'A' && c <= 'F') return "digest hex must be lowercase";
                return "the digest contains a character that is not hex" + (c >= ' ' && c < '\u007f' ? " ('" + c + "')" : "");
            }
            return null;
        }

        private static bool IsLowerHex(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');

        private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
