using System.Collections.Generic;
using DigestTools.Engine.Docker;
using Xunit;

namespace DigestTools.Tests
{
    public sealed class EnginePullStreamTests
    {
        [Fact]
        public void RemembersTheDigestDockerReportsAndForwardsProgress()
        {
            var seen = new List<ImagePullProgress>();
            var reader = new PullStreamReader(seen.Add);
            reader.Observe(null, "Pulling from fixtures/busybox", "v1", null, null);
            reader.Observe(null, "Downloading", "9e819a5c04c0", 100, 400);
            reader.Observe(null, "Digest: sha256:" + new string('c', 64), null, null, null);
            Assert.Equal("sha256:" + new string('c', 64), reader.Digest);
            Assert.Null(reader.Error);
            Assert.Equal(3, seen.Count);
            Assert.Equal((100L, 400L), (seen[1].Current.Value, seen[1].Total.Value));
        }

        [Fact]
        public void KeepsTheFirstErrorOfTheStream()
        {
            var reader = new PullStreamReader(null);
            reader.Observe(null, "Pulling fs layer", "abc", null, null);
            reader.Observe("reading manifest x: manifest unknown", null, null, null, null);
            reader.Observe("second", null, null, null, null);
            Assert.Equal("reading manifest x: manifest unknown", reader.Error);
            Assert.Null(reader.Digest);   // Podman never writes one
        }

        [Theory]
        [InlineData("reading manifest v1 in r/x: manifest unknown: manifest unknown", "ManifestUnknown")]
        [InlineData("manifest for r/x:v1 not found: manifest unknown", "ManifestUnknown")]
        [InlineData("unauthorized: authentication required", "RegistryAuthenticationFailed")]
        [InlineData("Get \"http://127.0.0.1:1/v2/\": dial tcp 127.0.0.1:1: connect: connection refused", "PullFailed")]
        [InlineData("pinging container registry 127.0.0.1:34017: Get \"https://127.0.0.1:34017/v2/\": connection refused", "PullFailed")]
        [InlineData("pull access denied for x, repository does not exist or may require 'docker login': denied: requested access to the resource is denied", "ManifestUnknown")]
        public void ClassifiesEngineMessagesIntoStableIds(string message, string errorId)
            => Assert.Equal(errorId, EngineErrors.PullFailed("r/x:v1", message).ErrorId);

        [Fact]
        public void SaysARepeatedEngineMessagePartOnce()
        {
            string message = EngineErrors.PullFailed("r/x:v1", "reading manifest v1 in r/x: manifest unknown: manifest unknown").Message;
            Assert.EndsWith("reading manifest v1 in r/x: manifest unknown", message);
            Assert.DoesNotContain("manifest unknown: manifest unknown", message);
        }
    }
}
