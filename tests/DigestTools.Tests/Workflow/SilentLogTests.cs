using DigestTools.Engine.Workflow;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>The log that drops everything tells callers so, and they skip building verbose text.</summary>
    public sealed class SilentLogTests
    {
        [Fact]
        public void SaysVerboseIsOff() => Assert.False(SilentLog.Instance.VerboseEnabled);
    }
}
