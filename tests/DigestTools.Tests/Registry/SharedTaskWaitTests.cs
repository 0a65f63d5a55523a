using System;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Registry;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// Waiting on work shared by several callers (the /v2/ check, an index fetch): a caller's stop ends its own wait at
    /// once, while the work goes on for the others.
    /// </summary>
    public sealed class SharedTaskWaitTests
    {
        private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

        [Fact]
        public async Task ACallersStopEndsItsWaitOnWorkThatGoesOn()
        {
            var work = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (var stop = new CancellationTokenSource())
            {
                Task plain = SharedTaskWait.WaitAsync((Task)work.Task, stop.Token);
                Task<bool> typed = SharedTaskWait.WaitAsync(work.Task, stop.Token);
                stop.Cancel();
                Assert.Same(plain, await Task.WhenAny(plain, Task.Delay(HangGuard)));
                Assert.Same(typed, await Task.WhenAny(typed, Task.Delay(HangGuard)));
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => plain);
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => typed);
            }
            // The work itself was not cancelled: a caller that still waits gets its result.
            Assert.False(work.Task.IsCompleted);
            work.SetResult(true);
            Assert.True(await SharedTaskWait.WaitAsync(work.Task, CancellationToken.None));
        }
    }
}
