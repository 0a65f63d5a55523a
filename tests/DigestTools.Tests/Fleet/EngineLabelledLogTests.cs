using DigestTools.Engine.Fleet;
using DigestTools.Tests.Pinning;
using Xunit;

namespace DigestTools.Tests.Fleet
{
    /// <summary>Concurrent engines' messages and progress bars stay apart: each one names the engine it comes from.</summary>
    public sealed class EngineLabelledLogTests
    {
        [Fact]
        public void VerboseWarningAndPullProgressNameTheEngine()
        {
            var inner = new RecordingLog();
            var log = new EngineLabelledLog(inner, "unix:///run/a.sock");

            log.Verbose("resolved");
            log.Warning("no platform");
            using (log.BeginPull("127.0.0.1:5000/busybox@sha256:ab")) { }

            Assert.True(log.VerboseEnabled);
            Assert.Equal(new[] { "[unix:///run/a.sock] resolved" }, inner.VerboseLines);
            Assert.Equal(new[] { "[unix:///run/a.sock] no platform" }, inner.Warnings);
            Assert.Equal(new[] { "127.0.0.1:5000/busybox@sha256:ab on unix:///run/a.sock" }, inner.PullsBegun);
        }
    }
}
