using System;
using System.Linq;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// The reference grammar and Docker's normalization, one row per rule or trap
    /// (see distribution/reference and the Docker CLI's behaviour).
    /// </summary>
    public sealed class ImageReferenceTests
    {
        internal const string Hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        internal static readonly string Hex96 = Hex64 + Hex64.Substring(0, 32);
        internal static readonly string Hex128 = Hex64 + Hex64;
        internal const string Sha256 = "sha256:" + Hex64;

        // input, Registry, Repository, Tag, Digest, ToString(), FamiliarName
        public static TheoryData<string, string, string, string, string, string, string> ValidReferences => new TheoryData<string, string, string, string, string, string, string>
        {
            // familiar -> canonical on Docker Hub
            { "ubuntu", "docker.io", "library/ubuntu", null, null, "docker.io/library/ubuntu", "ubuntu" },
            { "ubuntu:22.04", "docker.io", "library/ubuntu", "22.04", null, "docker.io/library/ubuntu:22.04", "ubuntu" },
            { "ubuntu:latest", "docker.io", "library/ubuntu", "latest", null, "docker.io/library/ubuntu:latest", "ubuntu" },
            { "library/ubuntu", "docker.io", "library/ubuntu", null, null, "docker.io/library/ubuntu", "ubuntu" },
            { "docker.io/ubuntu", "docker.io", "library/ubuntu", null, null, "docker.io/library/ubuntu", "ubuntu" },
            { "docker.io/library/ubuntu:latest", "docker.io", "library/ubuntu", "latest", null, "docker.io/library/ubuntu:latest", "ubuntu" },
            { "index.docker.io/ubuntu", "docker.io", "library/ubuntu", null, null, "docker.io/library/ubuntu", "ubuntu" },
            { "index.docker.io/myorg/app:1", "docker.io", "myorg/app", "1", null, "docker.io/myorg/app:1", "myorg/app" },
            { "index.docker.io/library/ubuntu@" + Sha256, "docker.io", "library/ubuntu", null, Sha256, "docker.io/library/ubuntu@" + Sha256, "ubuntu" },
            { "myorg/app:1", "docker.io", "myorg/app", "1", null, "docker.io/myorg/app:1", "myorg/app" },
            { "library/foo/bar", "docker.io", "library/foo/bar", null, null, "docker.io/library/foo/bar", "library/foo/bar" },
            { "a/b/c/d/e", "docker.io", "a/b/c/d/e", null, null, "docker.io/a/b/c/d/e", "a/b/c/d/e" },
            { "a", "docker.io", "library/a", null, null, "docker.io/library/a", "a" },
            { "registry.hub.docker.com/library/ubuntu", "registry.hub.docker.com", "library/ubuntu", null, null, "registry.hub.docker.com/library/ubuntu", "registry.hub.docker.com/library/ubuntu" },
            // what makes the first component a domain
            { "foo:5000", "docker.io", "library/foo", "5000", null, "docker.io/library/foo:5000", "foo" },
            { "foo:5000/bar", "foo:5000", "bar", null, null, "foo:5000/bar", "foo:5000/bar" },
            { "localhost/foo", "localhost", "foo", null, null, "localhost/foo", "localhost/foo" },
            { "localhost:5000/foo:tag", "localhost:5000", "foo", "tag", null, "localhost:5000/foo:tag", "localhost:5000/foo" },
            { "localhost", "docker.io", "library/localhost", null, null, "docker.io/library/localhost", "localhost" },
            { "localhost:5000", "docker.io", "library/localhost", "5000", null, "docker.io/library/localhost:5000", "localhost" },
            { "LOCALHOST/foo", "LOCALHOST", "foo", null, null, "LOCALHOST/foo", "LOCALHOST/foo" },
            { "test_com/foo", "docker.io", "test_com/foo", null, null, "docker.io/test_com/foo", "test_com/foo" },
            { "test.com/foo", "test.com", "foo", null, null, "test.com/foo", "test.com/foo" },
            { "Foo/bar", "Foo", "bar", null, null, "Foo/bar", "Foo/bar" },
            { "docker.io", "docker.io", "library/docker.io", null, null, "docker.io/library/docker.io", "docker.io" },
            { "127.0.0.1:5000/demo/app:v1", "127.0.0.1:5000", "demo/app", "v1", null, "127.0.0.1:5000/demo/app:v1", "127.0.0.1:5000/demo/app" },
            { "1.2.3.4/x", "1.2.3.4", "x", null, null, "1.2.3.4/x", "1.2.3.4/x" },
            { "my-registry.example.com:443/team/app", "my-registry.example.com:443", "team/app", null, null, "my-registry.example.com:443/team/app", "my-registry.example.com:443/team/app" },
            { "xn--bcher-kva.example/app", "xn--bcher-kva.example", "app", null, null, "xn--bcher-kva.example/app", "xn--bcher-kva.example/app" },
            { "localhost:05000/foo", "localhost:05000", "foo", null, null, "localhost:05000/foo", "localhost:05000/foo" },
            { "a-b.c-d.e:65535/x", "a-b.c-d.e:65535", "x", null, null, "a-b.c-d.e:65535/x", "a-b.c-d.e:65535/x" },
            // IPv6 hosts
            { "[2001:db8::1]:5000/repo:tag@" + Sha256, "[2001:db8::1]:5000", "repo", "tag", Sha256, "[2001:db8::1]:5000/repo:tag@" + Sha256, "[2001:db8::1]:5000/repo" },
            { "[::1]/repo", "[::1]", "repo", null, null, "[::1]/repo", "[::1]/repo" },
            { "[::1]/repo:v2", "[::1]", "repo", "v2", null, "[::1]/repo:v2", "[::1]/repo" },
            { "[::1]:5000/a/b/c", "[::1]:5000", "a/b/c", null, null, "[::1]:5000/a/b/c", "[::1]:5000/a/b/c" },
            { "[FE80::1]:5000/x", "[FE80::1]:5000", "x", null, null, "[FE80::1]:5000/x", "[FE80::1]:5000/x" },
            // digests, and tag plus digest kept together
            { "ubuntu@" + Sha256, "docker.io", "library/ubuntu", null, Sha256, "docker.io/library/ubuntu@" + Sha256, "ubuntu" },
            { "ubuntu:22.04@" + Sha256, "docker.io", "library/ubuntu", "22.04", Sha256, "docker.io/library/ubuntu:22.04@" + Sha256, "ubuntu" },
            { "quay.io/org/app@sha384:" + Hex96, "quay.io", "org/app", null, "sha384:" + Hex96, "quay.io/org/app@sha384:" + Hex96, "quay.io/org/app" },
            { "ghcr.io/a/b:1@sha512:" + Hex128, "ghcr.io", "a/b", "1", "sha512:" + Hex128, "ghcr.io/a/b:1@sha512:" + Hex128, "ghcr.io/a/b" },
            // path component separators and tag grammar
            { "a_b/c__d/e-f/g---h/i.j", "docker.io", "a_b/c__d/e-f/g---h/i.j", null, null, "docker.io/a_b/c__d/e-f/g---h/i.j", "a_b/c__d/e-f/g---h/i.j" },
            { "foo:Tag_1.0-RC", "docker.io", "library/foo", "Tag_1.0-RC", null, "docker.io/library/foo:Tag_1.0-RC", "foo" },
            { "foo:_tag", "docker.io", "library/foo", "_tag", null, "docker.io/library/foo:_tag", "foo" },
            { "foo:" + new string('T', 128), "docker.io", "library/foo", new string('T', 128), null, "docker.io/library/foo:" + new string('T', 128), "foo" },
            { "sha256:latest", "docker.io", "library/sha256", "latest", null, "docker.io/library/sha256:latest", "sha256" },
            { Hex64 + ":latest", "docker.io", "library/" + Hex64, "latest", null, "docker.io/library/" + Hex64 + ":latest", "library/" + Hex64 },
            // the familiar form keeps a prefix where dropping it would change the meaning
            { "docker.io/foo.com/app", "docker.io", "foo.com/app", null, null, "docker.io/foo.com/app", "docker.io/foo.com/app" },
            { "docker.io/localhost/app", "docker.io", "localhost/app", null, null, "docker.io/localhost/app", "docker.io/localhost/app" },
            { "docker.io/library/" + Hex64, "docker.io", "library/" + Hex64, null, null, "docker.io/library/" + Hex64, "library/" + Hex64 },
            // the 255-character path limit counts the normalized path and not the domain
            { "example.com/" + new string('a', 255), "example.com", new string('a', 255), null, null, "example.com/" + new string('a', 255), "example.com/" + new string('a', 255) },
            { new string('a', 247), "docker.io", "library/" + new string('a', 247), null, null, "docker.io/library/" + new string('a', 247), new string('a', 247) },
        };

        // input, fragment the FormatException message must contain
        public static TheoryData<string, string> InvalidReferences => new TheoryData<string, string>
        {
            { "", "the reference is empty" },
            // lowercase repository names
            { "Ubuntu", "repository name must be lowercase ('Ubuntu')" },
            { "FOO", "repository name must be lowercase" },
            { "docker.io/Library/ubuntu", "repository name must be lowercase ('Library/ubuntu')" },
            { "myorg/App:1", "repository name must be lowercase ('myorg/App')" },
            { "Foo/Bar", "repository name must be lowercase ('Bar')" },
            // image ids and bare digests
            { Hex64, "is an image id, not a repository name" },
            { Sha256, "digest or an image id without a repository name" },
            { "sha512:" + Hex128, "digest or an image id without a repository name" },
            { "@" + Sha256, "the repository name is missing" },
            { ":latest", "the repository name is missing" },
            // digests
            { "ubuntu@sha256:" + Hex64.Substring(1), "invalid digest length: sha256 needs 64 hex characters, found 63" },
            { "ubuntu@sha256:" + Hex64 + "0", "invalid digest length: sha256 needs 64 hex characters, found 65" },
            { "ubuntu@sha384:" + Hex64, "invalid digest length: sha384 needs 96" },
            { "ubuntu@sha512:" + Hex96, "invalid digest length: sha512 needs 128" },
            { "ubuntu@sha256:" + Hex64.ToUpperInvariant(), "digest hex must be lowercase" },
            { "ubuntu@sha256:" + Hex64.Substring(1) + "g", "not hex ('g')" },
            { "ubuntu@md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported digest algorithm 'md5'" },
            { "ubuntu@sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709", "unsupported digest algorithm 'sha1'" },
            { "ubuntu@SHA256:" + Hex64, "unsupported digest algorithm 'SHA256' (supported: sha256, sha384, sha512); algorithm names are lowercase" },
            { "ubuntu@sha256+b64:" + Hex64, "unsupported digest algorithm 'sha256+b64'" },
            { "ubuntu@sha256", "a digest is algorithm:hex" },
            { "ubuntu@", "the digest after '@' is empty" },
            { "ubuntu@1sha:abc", "invalid digest algorithm '1sha'" },
            { "ubuntu@sha-:abc", "invalid digest algorithm 'sha-'" },
            { "ubuntu@blake3:", "invalid digest format" },
            { "ubuntu@sha256:" + Hex64 + "@" + Sha256, "invalid digest length" },
            // tags
            { "ubuntu:", "the tag after ':' is empty" },
            { "ubuntu:-x", "a tag starts with a letter, a digit or '_'" },
            { "ubuntu:.x", "a tag starts with a letter, a digit or '_'" },
            { "ubuntu:a+b", "'+' is not allowed" },
            { "ubuntu:" + new string('t', 129), "the tag is 129 characters long; at most 128 are allowed" },
            // characters outside the grammar (Unicode digits, whitespace, line breaks: the regex traps)
            { "ubuntu ", "invalid character ' ' (a space) at position 7" },
            { " ubuntu", "at position 1" },
            { "ubuntu\n", "U+000A (a line break) at position 7" },
            { "ubuntu:22.04\n", "U+000A (a line break)" },
            { "ubuntu@" + Sha256 + "\n", "U+000A (a line break)" },
            { "ubuntu\t:1", "U+0009 (whitespace)" },
            { "ubuntu:1\u0663", "'\u0663' (U+0663)" },
            { "ubuntu@sha256:" + Hex64.Substring(1) + "\u0663", "U+0663" },
            { "\uFF11.example/app", "U+FF11" },
            { "ub\u0131ntu", "U+0131" },
            { "\u212Aube/app", "U+212A" },
            { "ubuntu\u0000", "U+0000" },
            { "foo/bar%2f", "invalid character '%' (U+0025) at position 8" },
            // path components
            { "foo//bar", "has an empty component" },
            { "foo/", "has an empty component" },
            { "/foo", "has an empty component" },
            { "localhost/", "the repository path after registry 'localhost' is missing" },
            { "docker.io/", "the repository path after registry 'docker.io' is missing" },
            { "foo/a___b", "invalid separator '___'" },
            { "foo/a._b", "invalid separator '._'" },
            { "foo/a..b", "invalid separator '..'" },
            { "foo/-a", "must start with a lowercase letter or digit" },
            { "foo/a-", "must end with a lowercase letter or digit" },
            { "foo/a.", "must end with a lowercase letter or digit" },
            { "foo/bar:baz/qux", "invalid character ':' in repository path component 'bar:baz'" },
            { "foo:bar:baz", "invalid character ':' in repository path component 'foo:bar'" },
            { "[::1]:5000", "repository path component '[::1]'" },
            { "example.com/" + new string('a', 256), "the repository path is 256 characters long; at most 255 are allowed" },
            { new string('a', 248), "the repository path is 256 characters long" },
            // domains and ports
            { "a..b/c", "invalid registry host 'a..b'" },
            { "-foo.com/bar", "invalid registry host '-foo.com'" },
            { "foo-.com/bar", "invalid registry host 'foo-.com'" },
            { "foo_bar.com/x", "invalid registry host 'foo_bar.com'" },
            { "foo.com:/bar", "the port after ':' is missing" },
            { ":5000/bar", "the host name is missing" },
            { "foo.com:abc/bar", "invalid port 'abc'" },
            { "foo.com:0/bar", "port 0 of registry 'foo.com:0' is out of range" },
            { "foo.com:65536/bar", "out of range (1-65535)" },
            { "foo.com:99999999999999999999/bar", "out of range" },
            { "[::1/foo", "needs a closing ']'" },
            { "[::1]x/foo", "only ':port' may follow an IPv6 address" },
            { "[fe80::1%eth0]/foo", "'%' (U+0025)" },
            { "[1.2.3.4]/foo", "invalid IPv6 address '[1.2.3.4]'" },
            { "[:::1]/foo", "invalid IPv6 address" },
            { "[]/foo", "invalid IPv6 address '[]'" },
            { "[::1]:/foo", "the port after ':' is missing" },
        };

        [Theory]
        [MemberData(nameof(ValidReferences))]
        public void Parses_and_normalizes(string input, string registry, string repository, string tag, string digest, string canonical, string familiar)
        {
            var reference = ImageReference.Parse(input);

            Assert.Equal(registry, reference.Registry);
            Assert.Equal(repository, reference.Repository);
            Assert.Equal(tag, reference.Tag);
            Assert.Equal(digest, reference.Digest);
            Assert.Equal(canonical, reference.ToString());
            Assert.Equal(familiar, reference.FamiliarName);
            Assert.Equal(registry + "/" + repository, reference.Name);
            Assert.Equal(digest != null, reference.IsDigestPinned);
            Assert.True(ImageReference.TryParse(input, out var viaTry, out string error));
            Assert.Null(error);
            Assert.Equal(reference, viaTry);
            // Both printed forms read back as the same reference.
            Assert.Equal(canonical, ImageReference.Parse(reference.ToString()).ToString());
            Assert.Equal(canonical, ImageReference.Parse(reference.FamiliarString).ToString());
        }

        [Theory]
        [MemberData(nameof(InvalidReferences))]
        public void Rejects_with_a_message_naming_the_problem(string input, string fragment)
        {
            var exception = Assert.Throws<FormatException>(() => ImageReference.Parse(input));

            Assert.Contains(fragment, exception.Message, StringComparison.Ordinal);
            Assert.StartsWith("Invalid image reference '", exception.Message, StringComparison.Ordinal);
            if (input.All(c => c >= ' ' && c < '\u007f'))
            {
                Assert.Contains("'" + input + "'", exception.Message, StringComparison.Ordinal);
            }
            Assert.DoesNotContain("\n", exception.Message, StringComparison.Ordinal);

            Assert.False(ImageReference.TryParse(input, out var result, out string error));
            Assert.Null(result);
            Assert.Equal(exception.Message, error);
            Assert.Throws<FormatException>(() => new ImageReference(input));
        }

        // input, the whole message: one row per problem sentence, so a changed word or a dropped quote is seen
        // (the table above checks fragments over many inputs).
        public static TheoryData<string, string> WholeMessages => new TheoryData<string, string>
        {
            { null, "Invalid image reference '': the reference is empty." },
            { "ubuntu\t:1", "Invalid image reference 'ubuntu\\t:1': invalid character U+0009 (whitespace) at position 7; "
                + "references use only ASCII letters, digits and . _ - : / @ [ ]." },
            { "ubuntu\u0000", "Invalid image reference 'ubuntu\\u0000': invalid character U+0000 at position 7; "
                + "references use only ASCII letters, digits and . _ - : / @ [ ]." },
            { Hex64, "Invalid image reference '" + Hex64 + "': a 64-character hexadecimal string is an image id, not a repository name; "
                + "to pin an image write name@sha256:<hex>." },
            { Sha256, "Invalid image reference '" + Sha256 + "': this is a digest or an image id without a repository name; write name@sha256:<hex>." },
            { "/foo", "Invalid image reference '/foo': the repository path '/foo' has an empty component (a leading, trailing or doubled '/')." },
            { "docker.io//foo", "Invalid image reference 'docker.io//foo': the repository path '/foo' has an empty component (a leading, trailing or doubled '/')." },
            { ".foo/bar", "Invalid image reference '.foo/bar': invalid registry host '.foo': each dot-separated part has letters, digits and inner '-' only." },
            { "[::1/foo", "Invalid image reference '[::1/foo': invalid registry '[::1': an IPv6 address needs a closing ']'." },
            { "[::1]x/foo", "Invalid image reference '[::1]x/foo': invalid registry '[::1]x': only ':port' may follow an IPv6 address." },
            { "[::ffff:1.2.3.4]/foo", "Invalid image reference '[::ffff:1.2.3.4]/foo': invalid IPv6 address '[::ffff:1.2.3.4]'." },
            { ":5000/bar", "Invalid image reference ':5000/bar': invalid registry ':5000': the host name is missing." },
            { "foo.com:/bar", "Invalid image reference 'foo.com:/bar': invalid registry 'foo.com:': the port after ':' is missing." },
            { "foo.com:abc/bar", "Invalid image reference 'foo.com:abc/bar': invalid port 'abc' in registry 'foo.com:abc'." },
            { "foo.com:655350/bar", "Invalid image reference 'foo.com:655350/bar': port 655350 of registry 'foo.com:655350' is out of range (1-65535)." },
            { "foo/a-", "Invalid image reference 'foo/a-': repository path component 'a-' must end with a lowercase letter or digit." },
            { "foo/a._b", "Invalid image reference 'foo/a._b': invalid separator '._' in repository path component 'a._b': use one '.', one or two '_', or dashes." },
            { "foo/a+b", "Invalid image reference 'foo/a+b': invalid character '+' in repository path component 'a+b'." },
            { "foo/a.+b", "Invalid image reference 'foo/a.+b': invalid character '+' in repository path component 'a.+b'." },
            { "ubuntu:-x", "Invalid image reference 'ubuntu:-x': invalid tag '-x': a tag starts with a letter, a digit or '_'." },
            { "ubuntu:a+b", "Invalid image reference 'ubuntu:a+b': invalid tag 'a+b': '+' is not allowed (letters, digits, '_', '.' and '-' are)." },
        };

        [Theory]
        [MemberData(nameof(WholeMessages))]
        public void Each_problem_has_its_whole_sentence(string input, string message)
        {
            Assert.Equal(message, Assert.Throws<FormatException>(() => ImageReference.Parse(input)).Message);
            Assert.False(ImageReference.TryParse(input, out _, out string error));
            Assert.Equal(message, error);
        }

        [Fact]
        public void Table_covers_at_least_sixty_cases()
        {
            Assert.True(ValidReferences.Count() + InvalidReferences.Count() >= 60);
        }

        [Fact]
        public void Null_is_rejected_like_an_empty_string()
        {
            var exception = Assert.Throws<FormatException>(() => ImageReference.Parse(null));
            Assert.Contains("the reference is empty", exception.Message, StringComparison.Ordinal);
            Assert.False(ImageReference.TryParse(null, out var result));
            Assert.Null(result);
        }

        [Fact]
        public void Control_characters_are_escaped_when_the_input_is_quoted()
        {
            Assert.False(ImageReference.TryParse("ubuntu\r\n", out _, out string error));
            Assert.Contains("'ubuntu\\r\\n'", error, StringComparison.Ordinal);
        }

        [Fact]
        public void Very_long_input_is_shortened_in_the_message()
        {
            string input = "x/" + new string('a', 5000);
            Assert.False(ImageReference.TryParse(input, out _, out string error));
            Assert.Contains("(4702 more characters)", error, StringComparison.Ordinal);
            Assert.True(error.Length < 1000);
        }

        [Fact]
        public void WithDigest_keeps_the_tag_and_replaces_any_digest()
        {
            var tagged = ImageReference.Parse("ubuntu:22.04");
            var pinned = tagged.WithDigest(Sha256);

            Assert.Equal("docker.io/library/ubuntu:22.04@" + Sha256, pinned.ToString());
            Assert.Equal("ubuntu:22.04@" + Sha256, pinned.FamiliarString);
            Assert.Equal("docker.io/library/ubuntu:22.04", tagged.ToString());

            string other = "sha512:" + Hex128;
            Assert.Equal("docker.io/library/ubuntu:22.04@" + other, pinned.WithDigest(other).ToString());
        }

        [Theory]
        [InlineData("sha256:abc", "invalid digest length")]
        [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported digest algorithm 'md5'")]
        [InlineData("", "the digest is empty")]
        public void WithDigest_rejects_an_invalid_digest(string digest, string fragment)
        {
            var exception = Assert.Throws<FormatException>(() => ImageReference.Parse("ubuntu").WithDigest(digest));
            Assert.Contains(fragment, exception.Message, StringComparison.Ordinal);
            Assert.StartsWith("Invalid digest '" + digest + "'", exception.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void WithDigest_rejects_null()
        {
            Assert.Throws<ArgumentNullException>(() => ImageReference.Parse("ubuntu").WithDigest(null));
        }

        [Fact]
        public void WithoutTag_drops_only_the_tag()
        {
            var both = ImageReference.Parse("localhost:5000/app:1@" + Sha256);

            Assert.Equal("localhost:5000/app@" + Sha256, both.WithoutTag().ToString());
            Assert.Equal("localhost:5000/app", ImageReference.Parse("localhost:5000/app:1").WithoutTag().ToString());
            Assert.Equal("localhost:5000/app:1@" + Sha256, both.ToString());
        }

        [Fact]
        public void TagOrLatest_implies_latest_only_when_no_tag_is_given()
        {
            Assert.Equal("latest", ImageReference.Parse("ubuntu").TagOrLatest);
            Assert.Equal("22.04", ImageReference.Parse("ubuntu:22.04").TagOrLatest);
            Assert.Null(ImageReference.Parse("ubuntu").Tag);
            Assert.Equal("docker.io/library/ubuntu", ImageReference.Parse("ubuntu").ToString());
        }

        [Fact]
        public void Equality_compares_the_canonical_form()
        {
            var a = ImageReference.Parse("ubuntu");
            var b = ImageReference.Parse("index.docker.io/library/ubuntu");
            var c = ImageReference.Parse("ubuntu:latest");

            Assert.Equal(a, b);
            Assert.Equal(a.GetHashCode(), b.GetHashCode());
            Assert.True(a.Equals((object)b));
            Assert.NotEqual(a, c);
            Assert.False(a.Equals(null));
            Assert.False(a.Equals("docker.io/library/ubuntu"));
        }

        [Fact]
        public void Familiar_string_carries_tag_and_digest()
        {
            Assert.Equal("myorg/app:1@" + Sha256, ImageReference.Parse("docker.io/myorg/app:1@" + Sha256).FamiliarString);
            Assert.Equal("localhost:5000/app", ImageReference.Parse("localhost:5000/app").FamiliarString);
            Assert.Equal("library/a/b:x", ImageReference.Parse("library/a/b:x").FamiliarString);
            // "sha256:<hex>" alone reads as a bare digest, so the familiar string keeps library/ there.
            var hexTagged = ImageReference.Parse("docker.io/library/sha256:" + Hex64);
            Assert.Equal("library/sha256:" + Hex64, hexTagged.FamiliarString);
            Assert.Equal("sha256", hexTagged.FamiliarName);
            Assert.Equal("sha256:latest", ImageReference.Parse("sha256:latest").FamiliarString);
            // With a tag or a digest beside it, neither reads as an image id or a bare digest: library/ goes, as in
            // Docker's familiar form (which its ParseNormalizedNamed reads back to the same reference).
            Assert.Equal(Hex64 + ":latest", ImageReference.Parse(Hex64 + ":latest").FamiliarString);
            Assert.Equal(Hex64 + "@" + Sha256, ImageReference.Parse("library/" + Hex64 + "@" + Sha256).FamiliarString);
            Assert.Equal("sha256:" + Hex64 + "@" + Sha256, ImageReference.Parse("library/sha256:" + Hex64 + "@" + Sha256).FamiliarString);
        }
    }
}
