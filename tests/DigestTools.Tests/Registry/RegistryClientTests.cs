using System;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Registry;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>What RegistryClient refuses before it sends anything: each refusal is a typed error naming the input.</summary>
    public sealed class RegistryClientTests
    {
        private static async Task<FailureException> Refused(ManifestQuery query)
        {
            using (var client = new RegistryClient(new RegistryClientOptions()))
                return await Assert.ThrowsAsync<FailureException>(() => client.ResolveAsync(query, CancellationToken.None));
        }

        [Fact]
        public async Task ANullQueryIsAnArgumentError()
        {
            using (var client = new RegistryClient(null))
                await Assert.ThrowsAsync<ArgumentNullException>(() => client.ResolveAsync(null, CancellationToken.None));
        }

        // 127.0.0.1:9 (discard) is never asked: the query is refused first.
        [Theory]
        [InlineData(null, "a/b")]
        [InlineData(" ", "a/b")]
        [InlineData("127.0.0.1:9", null)]
        [InlineData("127.0.0.1:9", "  ")]
        public async Task ARegistryAndARepositoryAreRequired(string registry, string repository)
        {
            FailureException e = await Refused(new ManifestQuery { Registry = registry, Repository = repository, Tag = "v1" });
            Assert.Equal("InvalidReference", e.ErrorId);
            Assert.Equal("A registry and a repository are required.", e.Message);
        }

        [Fact]
        public async Task AMalformedDigestIsAnInvalidReference()
        {
            FailureException e = await Refused(new ManifestQuery { Registry = "127.0.0.1:9", Repository = "a/b", Digest = "sha256:abc" });
            Assert.Equal("InvalidReference", e.ErrorId);
            Assert.Equal("127.0.0.1:9/a/b@sha256:abc: the digest is not a well-formed sha256, sha384 or sha512 digest.", e.Message);
        }

        [Theory]
        [InlineData("linux")]
        [InlineData("linux/amd64/v1/x")]
        public async Task AMalformedPlatformIsInvalidPlatform(string platform)
        {
            FailureException e = await Refused(new ManifestQuery { Registry = "127.0.0.1:9", Repository = "a/b", Tag = "v1", Platform = platform });
            Assert.Equal("InvalidPlatform", e.ErrorId);
            Assert.Equal($"'{platform}' is not a platform of the form os/arch[/variant].", e.Message);
        }
    }
}
