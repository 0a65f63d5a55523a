using System;

namespace DigestTools
{
    // CONTRACT STUB: the reference-grammar work replaces the bodies; the public surface stays.
    /// <summary>
    /// An image reference as the Docker ecosystem reads it (distribution/reference grammar), normalized:
    /// "ubuntu" is docker.io/library/ubuntu. Immutable. A string constructor lets PowerShell convert strings.
    /// </summary>
    public sealed class ImageReference : IEquatable<ImageReference>
    {
        /// <summary>Parses and normalizes; throws FormatException naming the problem.</summary>
        public ImageReference(string reference) => throw new NotImplementedException();

        public static ImageReference Parse(string reference) => new ImageReference(reference);

        public static bool TryParse(string reference, out ImageReference result) => TryParse(reference, out result, out _);

        /// <summary>As TryParse, with the reason a string is not a valid reference.</summary>
        public static bool TryParse(string reference, out ImageReference result, out string error) => throw new NotImplementedException();

        /// <summary>Registry host[:port], normalized ("docker.io", "127.0.0.1:5000", "[::1]:5000").</summary>
        public string Registry { get; }

        /// <summary>Repository path on the registry, normalized ("library/ubuntu").</summary>
        public string Repository { get; }

        /// <summary>Tag, or null when the reference has none.</summary>
        public string Tag { get; }

        /// <summary>Digest ("sha256:...", lowercase hex), or null when the reference has none.</summary>
        public string Digest { get; }

        /// <summary>Registry/Repository without tag or digest ("docker.io/library/ubuntu").</summary>
        public string Name => Registry + "/" + Repository;

        /// <summary>The short form users type ("ubuntu", "myorg/app:1", "127.0.0.1:5000/demo/app").</summary>
        public string FamiliarName => throw new NotImplementedException();

        /// <summary>A copy pinned to <paramref name="digest"/>, keeping the tag (name:tag@digest).</summary>
        public ImageReference WithDigest(string digest) => throw new NotImplementedException();

        /// <summary>A copy with the tag removed (name@digest or name).</summary>
        public ImageReference WithoutTag() => throw new NotImplementedException();

        /// <summary>Canonical form: registry/repository[:tag][@digest]; no tag is invented.</summary>
        public override string ToString() => throw new NotImplementedException();

        public bool Equals(ImageReference other) => other != null && string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);
        public override bool Equals(object obj) => Equals(obj as ImageReference);
        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());
    }
}
