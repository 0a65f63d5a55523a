using System;
using DigestTools.Engine.Docker;
using Xunit;
using DigestTools.Engine.Errors;

namespace DigestTools.Tests
{
    public sealed class EngineApiVersionTests
    {
        [Fact]
        public void Docker2010SpeaksItsOwnMaximum()
            => Assert.Equal(new Version(1, 41), EngineApiVersion.Negotiate("1.41", "1.12", "unix:///x"));

        [Fact]
        public void ANewerDaemonIsAskedForOurMaximumOnly()
            => Assert.Equal(EngineApiVersion.ClientMaximum, EngineApiVersion.Negotiate("1.51", "1.24", "unix:///x"));

        [Fact]
        public void AnOlderDaemonThanWeNeedIsRefused()
        {
            FailureException e = Assert.Throws<FailureException>(() => EngineApiVersion.Negotiate("1.39", "1.12", "tcp://old:2375"));
            Assert.Equal("EngineApiTooOld", e.ErrorId);
            Assert.Contains("tcp://old:2375", e.Message);
        }

        [Fact]
        public void ADaemonWhoseMinimumIsAboveOursIsRefused()
            => Assert.Equal("EngineApiTooNew", Assert.Throws<FailureException>(() => EngineApiVersion.Negotiate("1.60", "1.50", "x")).ErrorId);

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("v2")]
        public void AnUnreadableVersionIsReported(string version)
            => Assert.Equal("EngineApiVersionUnknown", Assert.Throws<FailureException>(() => EngineApiVersion.Negotiate(version, null, "x")).ErrorId);
    }
}
