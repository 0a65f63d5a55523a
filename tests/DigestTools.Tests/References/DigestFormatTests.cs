using Xunit;
using DigestTools.Engine.References;

namespace DigestTools.Tests
{
    /// <summary>The go-digest rules the cmdlets also apply to digests coming from registries and engines.</summary>
    public sealed class DigestFormatTests
    {
        private const string Hex64 = ImageReferenceTests.Hex64;

        [Theory]
        [InlineData("sha256", 64)]
        [InlineData("sha384", 96)]
        [InlineData("sha512", 128)]
        public void Accepts_supported_algorithms_with_their_exact_length(string algorithm, int length)
        {
            string hex = (Hex64 + Hex64).Substring(0, length);
            Assert.True(DigestFormat.IsValid(algorithm + ":" + hex));
            Assert.Null(DigestFormat.Validate(algorithm + ":" + hex));
            Assert.False(DigestFormat.IsValid(algorithm + ":" + hex.Substring(1)));
            Assert.False(DigestFormat.IsValid(algorithm + ":" + hex + "a"));
            Assert.Equal(length, DigestFormat.HexLength(algorithm));
        }

        [Theory]
        [InlineData(null, "the digest is empty")]
        [InlineData("", "the digest is empty")]
        [InlineData("sha256", "a digest is algorithm:hex")]
        [InlineData(Hex64, "a digest is algorithm:hex")]
        [InlineData(":" + Hex64, "invalid digest algorithm ''")]
        [InlineData("sha 256:abc", "invalid digest algorithm 'sha 256'")]
        [InlineData("sha256:", "invalid digest length: sha256 needs 64 hex characters, found 0")]
        [InlineData("sha256:abc", "invalid digest length: sha256 needs 64 hex characters, found 3")]
        [InlineData("sha384:" + Hex64, "invalid digest length: sha384 needs 96 hex characters, found 64")]
        [InlineData("sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "digest hex must be lowercase")]
        [InlineData("sha256:z123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "not hex ('z')")]
        [InlineData("sha256:\u0663123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "not hex")]
        [InlineData("sha256:" + Hex64 + "\n", "invalid digest length")]
        [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported digest algorithm 'md5' (supported: sha256, sha384, sha512)")]
        [InlineData("Sha256:" + Hex64, "algorithm names are lowercase")]
        [InlineData("multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8", "unsupported digest algorithm 'multihash+base58'")]
        [InlineData("md5:abc!", "invalid digest format")]
        public void Names_the_problem(string digest, string fragment)
        {
            Assert.False(DigestFormat.IsValid(digest));
            Assert.Contains(fragment, DigestFormat.Validate(digest));
        }

        // The whole sentence, where a fragment could not tell a hint or a quote that should not be there. The results
        // agree with go-digest's: an algorithm of valid syntax that is not sha256/384/512 is "unsupported", not "invalid".
        [Theory]
        [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported digest algorithm 'md5' (supported: sha256, sha384, sha512)")]
        [InlineData("Sha256:" + Hex64, "unsupported digest algorithm 'Sha256' (supported: sha256, sha384, sha512); algorithm names are lowercase")]
        [InlineData("SHA512:abc", "unsupported digest algorithm 'SHA512' (supported: sha256, sha384, sha512); algorithm names are lowercase")]
        [InlineData("sha-x:abc", "unsupported digest algorithm 'sha-x' (supported: sha256, sha384, sha512)")]
        [InlineData("sha_x:abc", "unsupported digest algorithm 'sha_x' (supported: sha256, sha384, sha512)")]
        [InlineData("sha.x:abc", "unsupported digest algorithm 'sha.x' (supported: sha256, sha384, sha512)")]
        [InlineData("a0:abc", "unsupported digest algorithm 'a0' (supported: sha256, sha384, sha512)")]
        [InlineData("a9:abc", "unsupported digest algorithm 'a9' (supported: sha256, sha384, sha512)")]
        [InlineData("zz:abc", "unsupported digest algorithm 'zz' (supported: sha256, sha384, sha512)")]
        [InlineData("a/:abc", "invalid digest algorithm 'a/'")]
        [InlineData("a-:abc", "invalid digest algorithm 'a-'")]
        [InlineData("sha256:F123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "digest hex must be lowercase")]
        [InlineData("sha256:G123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "the digest contains a character that is not hex ('G')")]
        [InlineData("sha256: 123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "the digest contains a character that is not hex (' ')")]
        [InlineData("sha256:~123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "the digest contains a character that is not hex ('~')")]
        [InlineData("sha256:\u001f123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "the digest contains a character that is not hex")]
        [InlineData("sha256:\u007f123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "the digest contains a character that is not hex")]
        [InlineData("sha256:\u0663123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "the digest contains a character that is not hex")]
        public void Names_the_problem_in_a_whole_sentence(string digest, string problem)
        {
            Assert.Equal(problem, DigestFormat.Validate(digest));
        }

        [Fact]
        public void Only_lowercase_hex_of_the_exact_length_is_an_image_id_hex()
        {
            Assert.True(DigestFormat.IsHex(Hex64, 64));
            Assert.False(DigestFormat.IsHex(Hex64.ToUpperInvariant(), 64));
            Assert.False(DigestFormat.IsHex(Hex64, 96));
            Assert.False(DigestFormat.IsHex(null, 64));
            Assert.Equal(0, DigestFormat.HexLength("SHA256"));
            Assert.Equal(0, DigestFormat.HexLength("md5"));
        }
    }
}
