using System.Security.Cryptography;
using System.Text;
using DigestTools.Engine.Registry;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>The digest rules the registry client checks headers and bodies with (go-digest's sha256, sha384, sha512).</summary>
    public sealed class ManifestDigestTests
    {
        private static readonly byte[] s_body = Encoding.UTF8.GetBytes("{\"schemaVersion\":2}");

        private static string Hex(byte[] hash)
        {
            var text = new StringBuilder();
            foreach (byte b in hash) text.Append(b.ToString("x2"));
            return text.ToString();
        }

        [Theory]
        [InlineData("sha256", 64)]
        [InlineData("sha384", 96)]
        [InlineData("sha512", 128)]
        public void EachAlgorithmWantsExactlyItsNumberOfLowercaseHexDigits(string algorithm, int length)
        {
            Assert.True(ManifestDigest.IsWellFormed(algorithm + ":" + new string('0', length)));
            Assert.True(ManifestDigest.IsWellFormed(algorithm + ":" + new string('9', length)));
            Assert.True(ManifestDigest.IsWellFormed(algorithm + ":" + new string('a', length)));
            Assert.True(ManifestDigest.IsWellFormed(algorithm + ":" + new string('f', length)));
            Assert.False(ManifestDigest.IsWellFormed(algorithm + ":" + new string('a', length - 1)));
            Assert.False(ManifestDigest.IsWellFormed(algorithm + ":" + new string('a', length + 1)));
            Assert.False(ManifestDigest.IsWellFormed(algorithm + ":" + new string('A', length)));
            Assert.False(ManifestDigest.IsWellFormed(algorithm + ":" + new string('g', length)));
            Assert.False(ManifestDigest.IsWellFormed(algorithm + ":" + new string('/', length)));   // just below '0'
            Assert.False(ManifestDigest.IsWellFormed(algorithm + ":" + new string(':', length)));   // just above '9'
            Assert.False(ManifestDigest.IsWellFormed(algorithm + ":" + new string('`', length)));   // just below 'a'
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("sha256")]
        [InlineData(":0000000000000000000000000000000000000000000000000000000000000000")]
        [InlineData("md5:00000000000000000000000000000000")]
        [InlineData("SHA256:0000000000000000000000000000000000000000000000000000000000000000")]
        public void AnythingElseIsNotWellFormed(string digest)
            => Assert.False(ManifestDigest.IsWellFormed(digest));

        [Fact]
        public void ComputeHashesWithTheAlgorithmTheDigestNames()
        {
            using (var sha256 = SHA256.Create())
            using (var sha384 = SHA384.Create())
            using (var sha512 = SHA512.Create())
            {
                string expected256 = "sha256:" + Hex(sha256.ComputeHash(s_body));
                string expected384 = "sha384:" + Hex(sha384.ComputeHash(s_body));
                string expected512 = "sha512:" + Hex(sha512.ComputeHash(s_body));
                Assert.Equal(expected256, ManifestDigest.Compute(s_body));
                Assert.Equal(expected256, ManifestDigest.Compute(s_body, "sha256:whatever"));
                Assert.Equal(expected256, ManifestDigest.Compute(s_body, "no-colon"));
                Assert.Equal(expected384, ManifestDigest.Compute(s_body, "sha384:x"));
                Assert.Equal(expected512, ManifestDigest.Compute(s_body, "sha512:x"));
                Assert.True(ManifestDigest.Matches(s_body, expected384));
                Assert.True(ManifestDigest.Matches(s_body, expected512));
                Assert.True(ManifestDigest.Matches(s_body, expected256));
            }
        }

        [Fact]
        public void MatchesIsFalseForOtherBytesOrAMalformedDigest()
        {
            string digest = ManifestDigest.Compute(s_body);
            Assert.False(ManifestDigest.Matches(Encoding.UTF8.GetBytes("{\"schemaVersion\":3}"), digest));
            Assert.False(ManifestDigest.Matches(s_body, digest.ToUpperInvariant()));
            Assert.False(ManifestDigest.Matches(s_body, null));
        }
    }
}
