using System.Threading;
using DigestTools.Engine.Errors;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>A stop that cleaned up: still a cancellation of the caller's token, with the clean-up's report.</summary>
    public sealed class StoppedExceptionTests
    {
        [Fact]
        public void KeepsTheCallersTokenAndSaysWhatTheCleanUpDid()
        {
            using (var stop = new CancellationTokenSource())
            {
                stop.Cancel();
                var e = new StoppedException("Removed 1a2b.", new System.OperationCanceledException(stop.Token));
                Assert.Equal("Removed 1a2b.", e.Report);
                Assert.Equal("Stopped. Removed 1a2b.", e.Message);
                Assert.Equal(stop.Token, e.CancellationToken);
                Assert.IsType<System.OperationCanceledException>(e.InnerException);
            }
        }

        [Fact]
        public void WithoutACauseItHasNoToken()
            => Assert.Equal(CancellationToken.None, new StoppedException("Nothing was left.", null).CancellationToken);
    }
}
