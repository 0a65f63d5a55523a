using System;
using DigestTools.Engine.References;

namespace DigestTools
{
    /// <summary>
    /// An image reference as the Docker ecosystem reads it (distribution/reference grammar), normalized:
    /// "ubuntu" is docker.io/library/ubuntu. Immutable. A string constructor lets PowerShell convert strings.
    /// The grammar lives in DigestTools.Engine (ParsedReference) so workflows share it; this is its public face.
    /// </summary>
    public sealed class ImageReference : IEquatable<ImageReference>
    {
        private readonly ParsedReference _parsed;

        /// <summary>Parses and normalizes; throws FormatException naming the problem.</summary>
        public ImageReference(string reference) => _parsed = new ParsedReference(reference);

        private ImageReference(ParsedReference parsed) => _parsed = parsed;

        public static ImageReference Parse(string reference) => new ImageReference(reference);

        public static bool TryParse(string reference, out ImageReference result) => TryParse(reference, out result, out _);

        /// <summary>As TryParse, with the reason a string is not a valid reference.</summary>
        public static bool TryParse(string reference, out ImageReference result, out string error)
        {
            result = ParsedReference.TryParse(reference, out ParsedReference parsed, out error) ? new ImageReference(parsed) : null;
            return result != null;
        }

        /// <summary>Registry host[:port], normalized ("docker.io", "127.0.0.1:5000", "[::1]:5000").</summary>
        public string Registry => _parsed.Registry;

        /// <summary>Repository path on the registry, normalized ("library/ubuntu").</summary>
        public string Repository => _parsed.Repository;

        /// <summary>Tag, or null when the reference has none.</summary>
        public string Tag => _parsed.Tag;

        /// <summary>Digest ("sha256:...", lowercase hex), or null when the reference has none.</summary>
        public string Digest => _parsed.Digest;

        /// <summary>Registry/Repository without tag or digest ("docker.io/library/ubuntu").</summary>
        public string Name => _parsed.Name;

        /// <summary>True when the reference names its content by digest, whatever its tag says.</summary>
        public bool IsDigestPinned => _parsed.IsDigestPinned;

        /// <summary>
        /// The tag to resolve when the reference is used by tag: its own, or "latest" when it has none
        /// (as docker pull does). A digest-pinned reference is resolved by <see cref="Digest"/> instead.
        /// </summary>
        public string TagOrLatest => _parsed.TagOrLatest;

        /// <summary>
        /// The name as docker shows it, without tag or digest ("ubuntu", "myorg/app", "127.0.0.1:5000/demo/app"):
        /// docker.io/ is dropped, and library/ too when exactly one component follows it.
        /// </summary>
        public string FamiliarName => _parsed.FamiliarName;

        /// <summary>The familiar name with its tag and digest ("ubuntu:22.04", "myorg/app@sha256:...").</summary>
        public string FamiliarString => _parsed.FamiliarString;

        /// <summary>A copy pinned to <paramref name="digest"/>, keeping the tag (name:tag@digest).</summary>
        /// <exception cref="FormatException">The digest is not a supported, well-formed digest.</exception>
        public ImageReference WithDigest(string digest) => new ImageReference(_parsed.WithDigest(digest));

        /// <summary>A copy with the tag removed (name@digest or name).</summary>
        public ImageReference WithoutTag() => Tag == null ? this : new ImageReference(_parsed.WithoutTag());

        /// <summary>The engine assembly's form of this reference, for the workflows.</summary>
        internal ParsedReference Parsed => _parsed;

        internal static ImageReference From(ParsedReference parsed) => parsed == null ? null : new ImageReference(parsed);

        /// <summary>Canonical form: registry/repository[:tag][@digest]; no tag is invented.</summary>
        public override string ToString() => _parsed.ToString();

        public bool Equals(ImageReference other) => other != null && _parsed.Equals(other._parsed);
        public override bool Equals(object obj) => Equals(obj as ImageReference);
        public override int GetHashCode() => _parsed.GetHashCode();
    }
}
