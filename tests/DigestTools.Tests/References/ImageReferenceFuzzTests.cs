using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;
using DigestTools.Engine.References;

namespace DigestTools.Tests
{
    /// <summary>
    /// Thousands of random and mutated strings through the parser, each checked three ways: only
    /// FormatException ever escapes, TryParse agrees with Parse, and acceptance and the parsed parts match
    /// an independent oracle (the grammar written as one anchored regex plus Docker's domain rule).
    /// Valid results must round-trip through ToString() and FamiliarString. Seeded: failures reproduce.
    /// </summary>
    public sealed class ImageReferenceFuzzTests
    {
        private const string Hex64 = ImageReferenceTests.Hex64;

        private readonly ITestOutputHelper _output;

        public ImageReferenceFuzzTests(ITestOutputHelper output) => _output = output;

        // ---- the oracle: the grammar of registry-protocol.md, written independently as a regex ----
        private const string DomainComponent = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
        private const string DomainName = DomainComponent + @"(?:\." + DomainComponent + ")*";
        private const string IPv6Host = @"\[(?<ipv6>[a-fA-F0-9:]+)\]";
        private const string Port = "0*(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";
        private const string Domain = "(?:" + DomainName + "|" + IPv6Host + ")(?::" + Port + ")?";
        private const string PathComponent = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
        private const string RemoteName = PathComponent + "(?:/" + PathComponent + ")*";
        private const string Tag = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
        private const string Digest = "sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128}";
        // Docker's rule: the first component is a domain when it has '.', ':' or uppercase, or is localhost.
        // '[' is added because a path component can never start with it (the parser does the same; it
        // changes only which error a bad input gets, never whether it is accepted).
        private const string LooksLikeDomain = @"[^/]*[.:A-Z\[][^/]*/|localhost/";

        private static readonly RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

        private static readonly Regex Reference = new Regex(
            @"\A(?:(?=" + LooksLikeDomain + ")(?<domain>" + Domain + ")/|(?!" + LooksLikeDomain + "))" +
            "(?<path>" + RemoteName + ")(?::(?<tag>" + Tag + "))?(?:@(?<digest>" + Digest + "))?\\z", Options);

        private static readonly Regex Canonical = new Regex(
            @"\A(?<domain>" + Domain + ")/(?<path>" + RemoteName + ")(?::" + Tag + ")?(?:@(?:" + Digest + "))?\\z", Options);

        private static readonly Regex ImageId = new Regex(@"\A[a-f0-9]{64}\z", Options);
        private static readonly Regex BareDigest = new Regex(@"\A(?:" + Digest + @")\z", Options);

        private sealed class Expected
        {
            public string Registry, Repository, Tag, Digest;
        }

        private static Expected Oracle(string input)
        {
            if (ImageId.IsMatch(input) || BareDigest.IsMatch(input)) return null;
            Match m = Reference.Match(input);
            if (!m.Success) return null;
            if (m.Groups["ipv6"].Success &&
                !(IPAddress.TryParse(m.Groups["ipv6"].Value, out IPAddress ip) && ip.AddressFamily == AddressFamily.InterNetworkV6))
            {
                return null;
            }
            string registry = m.Groups["domain"].Success ? m.Groups["domain"].Value : "docker.io";
            if (registry == "index.docker.io") registry = "docker.io";
            string path = m.Groups["path"].Value;
            if (registry == "docker.io" && !path.Contains('/')) path = "library/" + path;
            if (path.Length > 255) return null;
            return new Expected
            {
                Registry = registry,
                Repository = path,
                Tag = m.Groups["tag"].Success ? m.Groups["tag"].Value : null,
                Digest = m.Groups["digest"].Success ? m.Groups["digest"].Value : null,
            };
        }

        // ---- inputs ----

        private static readonly string[] Seeds =
        {
            "ubuntu", "ubuntu:22.04", "library/ubuntu", "docker.io/library/ubuntu:latest", "index.docker.io/myorg/app:1",
            "myorg/app", "foo:5000", "foo:5000/bar", "localhost/foo", "localhost:5000/foo:tag", "test_com/foo",
            "test.com/foo", "Foo/bar", "127.0.0.1:5000/demo/app:v1", "[2001:db8::1]:5000/repo:tag@sha256:" + Hex64,
            "[::1]/repo", "ubuntu@sha256:" + Hex64, "ubuntu:22.04@sha256:" + Hex64,
            "quay.io/org/app@sha384:" + Hex64 + Hex64.Substring(0, 32), "ghcr.io/a/b@sha512:" + Hex64 + Hex64,
            "a_b/c__d/e-f/g---h/i.j", "foo:Tag_1.0-RC", Hex64, "sha256:" + Hex64, "registry.example.com:443/team/app:v1.2.3",
            "library/" + new string('a', 246), "example.com/" + new string('b', 254), "foo:" + new string('T', 127),
        };

        private static readonly string[] Pieces =
        {
            "sha256:", "sha512:", "md5:", "@", ":", "/", "//", "__", "___", "--", "..", "._", "localhost", "docker.io/",
            "index.docker.io/", "library/", "[::1]", "[", "]", ":5000", ":0", ":65536", Hex64, "A", "\n", "\r\n", " ",
            "\u0663", "\uFF11", "\u0131", "\u212A", "\u00E9", "\u0000", "\u200B", "\u2028", "\uD83D\uDE00", "\uD83D",
        };

        // Weighted toward the grammar's own characters so mutations stay near the valid/invalid border.
        private const string Alphabet = "abcdefxyz0123456789abcdef._-:/@ABCFZ[]+=%";
        private static readonly char[] Exotic = { '\n', '\r', '\t', ' ', '\u0663', '\uFF11', '\u0131', '\u212A', '\u00E9', '\u0000', '\u200B', '\u2028', '\uD800', '\u00B2', 'K' };

        private static char RandomChar(Random random) =>
            random.Next(8) == 0 ? Exotic[random.Next(Exotic.Length)] : Alphabet[random.Next(Alphabet.Length)];

        private static string Mutate(string input, Random random)
        {
            var text = new StringBuilder(input);
            int operations = 1 + random.Next(3);
            for (int n = 0; n < operations; n++)
            {
                int at = text.Length == 0 ? 0 : random.Next(text.Length);
                switch (random.Next(11))
                {
                    case 0: text.Insert(random.Next(text.Length + 1), RandomChar(random)); break;
                    case 1: if (text.Length > 0) text.Remove(at, 1); break;
                    case 2: if (text.Length > 0) text[at] = RandomChar(random); break;
                    case 3: text.Insert(random.Next(text.Length + 1), Pieces[random.Next(Pieces.Length)]); break;
                    case 4: if (text.Length > 0) text[at] = char.ToUpperInvariant(text[at]); break;
                    case 5: text.Length = random.Next(text.Length + 1); break;
                    case 6:
                        if (text.Length > 0)
                        {
                            int length = random.Next(1, Math.Min(40, text.Length - at) + 1);
                            text.Insert(at, text.ToString(at, length));
                        }
                        break;
                    case 7:
                        if (text.Length > 1 && at < text.Length - 1) { char c = text[at]; text[at] = text[at + 1]; text[at + 1] = c; }
                        break;
                    case 8:
                        string other = Seeds[random.Next(Seeds.Length)];
                        string mine = text.ToString();
                        text.Clear().Append(mine.Substring(0, random.Next(mine.Length + 1))).Append(other.Substring(random.Next(other.Length + 1)));
                        break;
                    case 9: text.Append(random.Next(2) == 0 ? "\n" : Pieces[random.Next(Pieces.Length)]); break;
                    default: if (text.Length > 0) text.Remove(at, Math.Min(text.Length - at, 1 + random.Next(5))); break;
                }
            }
            return text.ToString();
        }

        private static string RandomString(Random random)
        {
            int length = random.Next(0, 60);
            var text = new StringBuilder(length);
            for (int i = 0; i < length; i++) text.Append(RandomChar(random));
            return text.ToString();
        }

        // ---- the checks ----

        private sealed class Tally
        {
            public int Valid, Invalid;
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(20261127)]
        public void Mutated_and_random_strings_parse_or_fail_cleanly_and_agree_with_the_oracle(int seed)
        {
            var random = new Random(seed);
            var tally = new Tally();
            foreach (string seedInput in Seeds) Check(seedInput, tally, seed, -1);
            for (int i = 0; i < 10000; i++)
            {
                string start = Seeds[random.Next(Seeds.Length)];
                Check(Mutate(start, random), tally, seed, i);
            }
            for (int i = 0; i < 3000; i++) Check(RandomString(random), tally, seed, 10000 + i);

            _output.WriteLine("seed " + seed + ": " + tally.Valid + " valid, " + tally.Invalid + " invalid inputs checked");
            // The generator must explore both sides of the border, or the checks above prove little.
            Assert.True(tally.Valid > 1500, "too few valid inputs: " + tally.Valid);
            Assert.True(tally.Invalid > 5000, "too few invalid inputs: " + tally.Invalid);
        }

        [Fact]
        public void Every_character_at_every_position_of_a_full_reference()
        {
            // Exhaustive single-character substitutions of a reference that uses every production.
            string full = "[2001:db8::1]:5000/team/app_x-y.z:v1.0@sha256:" + Hex64;
            var candidates = Enumerable.Range(0, 128).Select(c => (char)c).Concat(Exotic).Distinct().ToArray();
            var tally = new Tally();
            for (int i = 0; i < full.Length; i++)
            {
                foreach (char c in candidates)
                {
                    Check(full.Substring(0, i) + c + full.Substring(i + 1), tally, 0, i);
                }
            }
            _output.WriteLine(tally.Valid + " valid, " + tally.Invalid + " invalid substitutions checked");
            Assert.True(tally.Valid > 0 && tally.Invalid > 0);
        }

        private static void Check(string input, Tally tally, int seed, int iteration)
        {
            string where = "seed " + seed + ", iteration " + iteration + ", input " + Escape(input);
            ImageReference parsed = null;
            string parseError = null;
            try
            {
                parsed = ImageReference.Parse(input);
            }
            catch (FormatException e)
            {
                parseError = e.Message;
            }
            catch (Exception e)
            {
                Assert.Fail("Parse threw " + e.GetType().Name + " (" + e.Message + ") for " + where);
            }

            bool ok;
            ImageReference tried;
            string tryError;
            try
            {
                ok = ImageReference.TryParse(input, out tried, out tryError);
            }
            catch (Exception e)
            {
                Assert.Fail("TryParse threw " + e.GetType().Name + " for " + where);
                return;
            }
            Assert.True(ok == (parsed != null), "TryParse disagrees with Parse for " + where);

            Expected expected = Oracle(input);
            if (parsed == null)
            {
                tally.Invalid++;
                Assert.True(expected == null, "rejected (" + parseError + ") but the grammar accepts " + where);
                Assert.True(tryError == parseError, "TryParse gave a different message for " + where);
                Assert.True(parseError.StartsWith("Invalid image reference '", StringComparison.Ordinal), "odd message for " + where);
                Assert.True(parseError.IndexOfAny(new[] { '\n', '\r', '\0' }) < 0, "message has control characters for " + where);
                return;
            }

            tally.Valid++;
            Assert.True(expected != null, "accepted as " + parsed + " but the grammar rejects " + where);
            Assert.True(parsed.Registry == expected.Registry && parsed.Repository == expected.Repository &&
                parsed.Tag == expected.Tag && parsed.Digest == expected.Digest,
                "parts differ from the oracle (" + parsed.Registry + " | " + parsed.Repository + " | " + parsed.Tag + " | " +
                parsed.Digest + ") for " + where);
            Assert.True(parsed.Equals(tried), "TryParse result differs for " + where);

            string canonical = parsed.ToString();
            Assert.True(Canonical.IsMatch(canonical), "canonical form " + Escape(canonical) + " is not grammatical for " + where);
            Assert.True(ImageReference.Parse(canonical).ToString() == canonical, "canonical form does not round-trip for " + where);
            Assert.True(ImageReference.Parse(parsed.FamiliarString).ToString() == canonical, "familiar form " + parsed.FamiliarString + " does not round-trip for " + where);
            Assert.True(ImageReference.Parse(parsed.FamiliarName).Name == parsed.Name, "familiar name does not round-trip for " + where);
            Assert.True(parsed.Digest == null || DigestFormat.IsValid(parsed.Digest), "accepted an invalid digest for " + where);
        }

        private static string Escape(string input)
        {
            var text = new StringBuilder("\"");
            foreach (char c in input)
            {
                if (c >= ' ' && c < '\u007f' && c != '"' && c != '\\') text.Append(c);
                else text.Append("\\u").Append(((int)c).ToString("x4"));
            }
            return text.Append('"').ToString();
        }
    }
}
