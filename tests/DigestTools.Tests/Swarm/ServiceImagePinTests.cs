using System;
using DigestTools.Engine.Swarm;
using Xunit;

namespace DigestTools.Tests.Swarm
{
    /// <summary>ServiceImagePin: the spec image repository:tag@digest, and reading the digest out of an engine's image string.</summary>
    public sealed class ServiceImagePinTests
    {
        private static readonly string Digest = "sha256:" + new string('d', 64);

        [Fact]
        public void TheSpecImageKeepsTheTagForPeopleAndTheDigestForNodes()
        {
            var tagged = new ServiceImagePin("127.0.0.1:5000", "127.0.0.1:5000/app", "1.4", Digest, "127.0.0.1:5000/app:1.4");
            Assert.Equal("127.0.0.1:5000/app:1.4@" + Digest, tagged.Image);
            Assert.Equal("127.0.0.1:5000/app@" + Digest, tagged.PinnedReference);
            Assert.Equal(("127.0.0.1:5000", "1.4", Digest, "127.0.0.1:5000/app:1.4"), (tagged.Registry, tagged.Tag, tagged.Digest, tagged.SourceReference));
            Assert.Equal("127.0.0.1:5000/app@" + Digest, new ServiceImagePin("127.0.0.1:5000", "127.0.0.1:5000/app", null, Digest, null).Image);
        }

        [Fact]
        public void ARepositoryAndADigestAreRequired()
        {
            Assert.Equal("repositoryName", Assert.Throws<ArgumentNullException>(() => new ServiceImagePin("r", null, "t", Digest, null)).ParamName);
            Assert.Equal("digest", Assert.Throws<ArgumentNullException>(() => new ServiceImagePin("r", "r/app", "t", null, null)).ParamName);
        }

        [Theory]
        [InlineData("r/a:1@sha256:abc", "sha256:abc", "r/a:1")]
        [InlineData("127.0.0.1:5000/a@sha256:abc", "sha256:abc", "127.0.0.1:5000/a")]
        [InlineData("127.0.0.1:5000/app:1.4@sha256:abc", "sha256:abc", "127.0.0.1:5000/app:1.4")]
        [InlineData("app@sha256:abc", "sha256:abc", "app")]
        [InlineData("127.0.0.1:5000/app:1.4", null, "127.0.0.1:5000/app:1.4")]
        [InlineData("a@b@sha256:abc", "sha256:abc", "a@b")]
        [InlineData("@sha256:abc", "sha256:abc", "")]
        [InlineData("", null, "")]
        [InlineData(null, null, null)]
        public void AnEngineImageSplitsAtItsLastAt(string image, string digest, string rest)
        {
            Assert.Equal(digest, ServiceImagePin.DigestOf(image));
            Assert.Equal(rest, ServiceImagePin.WithoutDigest(image));
        }
    }
}
