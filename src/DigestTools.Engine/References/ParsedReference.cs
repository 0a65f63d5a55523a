using System;

namespace DigestTools.Engine.References
{
    /// <summary>
    /// An image reference as the Docker ecosystem reads it (distribution/reference grammar), normalized:
    /// "ubuntu" is docker.io/library/ubuntu. Immutable. The workflows' reference type; PowerShell sees it
    /// through DigestTools.ImageReference, which wraps one.
    /// </summary>
    public sealed class ParsedReference : IEquatable<ParsedReference>
    {
        /// <summary>The tag a reference without tag or digest means, as docker pull reads it.</summary>
        public const string DefaultTag = "latest";

        // Computed once: equality, hashing and every table that shows the reference use it.
        private readonly string _canonical;

        /// <summary>Parses and normalizes; throws FormatException naming the problem.</summary>
        public ParsedReference(string reference)
        {
            string problem = ReferenceGrammar.Parse(reference, out ReferenceGrammar.Parts parts);
            if (problem != null) throw new FormatException(ReferenceGrammar.Describe("image reference", reference, problem));
            Registry = parts.Registry;
            Repository = parts.Repository;
            Tag = parts.Tag;
            Digest = parts.Digest;
            _canonical = Compose(Name, Tag, Digest);
        }

        // For the With* copies: the parts are already valid and normalized.
        private ParsedReference(string registry, string repository, string tag, string digest)
        {
            Registry = registry;
            Repository = repository;
            Tag = tag;
            Digest = digest;
            _canonical = Compose(Name, Tag, Digest);
        }

        public static ParsedReference Parse(string reference) => new ParsedReference(reference);

        public static bool TryParse(string reference, out ParsedReference result) => TryParse(reference, out result, out _);

        /// <summary>As TryParse, with the reason a string is not a valid reference.</summary>
        public static bool TryParse(string reference, out ParsedReference result, out string error)
        {
            // No exception on the failure path: a pipeline of many bad references stays cheap.
            string problem = ReferenceGrammar.Parse(reference, out ReferenceGrammar.Parts parts);
            if (problem != null)
            {
                result = null;
                error = ReferenceGrammar.Describe("image reference", reference, problem);
                return false;
            }
            result = new ParsedReference(parts.Registry, parts.Repository, parts.Tag, parts.Digest);
            error = null;
            return true;
        }

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

        /// <summary>True when the reference names its content by digest, whatever its tag says.</summary>
        public bool IsDigestPinned => Digest != null;

        /// <summary>
        /// The tag to resolve when the reference is used by tag: its own, or "latest" when it has none
        /// (as docker pull does). A digest-pinned reference is resolved by <see cref="Digest"/> instead.
        /// </summary>
        public string TagOrLatest => Tag ?? DefaultTag;

        /// <summary>
        /// The name as docker shows it, without tag or digest ("ubuntu", "myorg/app", "127.0.0.1:5000/demo/app"):
        /// docker.io/ is dropped, and library/ too when exactly one component follows it.
        /// </summary>
        public string FamiliarName => Familiar(null, null);

        /// <summary>The familiar name with its tag and digest ("ubuntu:22.04", "myorg/app@sha256:...").</summary>
        public string FamiliarString => Compose(Familiar(Tag, Digest), Tag, Digest);

        // Docker's familiar form, except that a prefix stays where dropping it would change what the short
        // form means when read back: "docker.io/foo.com/app" (foo.com would become the registry), and
        // "library/<64 hex>" or "library/sha256:<hex>" (they would read as an image id or a bare digest).
        private string Familiar(string tag, string digest)
        {
            if (Registry != ReferenceGrammar.DefaultRegistry) return Name;
            int slash = Repository.IndexOf('/');
            string first = Repository.Substring(0, slash);
            if (ReferenceGrammar.LooksLikeDomain(first)) return Name;

            string prefix = ReferenceGrammar.OfficialRepositoryPrefix;
            bool official = Repository.StartsWith(prefix, StringComparison.Ordinal) && Repository.IndexOf('/', prefix.Length) < 0;
            if (!official) return Repository;

            string shortName = Repository.Substring(prefix.Length);
            bool ambiguous = (tag == null && digest == null && ReferenceGrammar.ReadsAsImageId(shortName)) ||
                (digest == null && tag != null && ReferenceGrammar.ReadsAsBareDigest(shortName, tag));
            return ambiguous ? Repository : shortName;
        }

        /// <summary>A copy pinned to <paramref name="digest"/>, keeping the tag (name:tag@digest).</summary>
        /// <exception cref="FormatException">The digest is not a supported, well-formed digest.</exception>
        public ParsedReference WithDigest(string digest)
        {
            if (digest == null) throw new ArgumentNullException(nameof(digest));
            string problem = DigestFormat.Validate(digest);
            if (problem != null) throw new FormatException(ReferenceGrammar.Describe("digest", digest, problem));
            return new ParsedReference(Registry, Repository, Tag, digest);
        }

        /// <summary>A copy with the tag removed (name@digest or name).</summary>
        public ParsedReference WithoutTag() => Tag == null ? this : new ParsedReference(Registry, Repository, null, Digest);

        /// <summary>Canonical form: registry/repository[:tag][@digest]; no tag is invented.</summary>
        public override string ToString() => _canonical;

        public bool Equals(ParsedReference other) => other != null && string.Equals(_canonical, other._canonical, StringComparison.Ordinal);
        public override bool Equals(object obj) => Equals(obj as ParsedReference);
        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_canonical);

        private static string Compose(string name, string tag, string digest)
        {
            string text = tag == null ? name : name + ":" + tag;
            return digest == null ? text : text + "@" + digest;
        }
    }
}
