using DigestTools.Engine.Docker;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>Which Swarm task states a rollout watcher counts as failed: those a task never leaves successfully.</summary>
    public sealed class EngineServiceTaskTests
    {
        [Theory]
        [InlineData("failed", true)]
        [InlineData("rejected", true)]
        [InlineData("running", false)]
        [InlineData("complete", false)]
        [InlineData("shutdown", false)]
        [InlineData(null, false)]
        public void HasFailedOnlyInTheStatesATaskNeverLeaves(string state, bool failed)
            => Assert.Equal(failed, new EngineServiceTask { State = state }.HasFailed);
    }
}
