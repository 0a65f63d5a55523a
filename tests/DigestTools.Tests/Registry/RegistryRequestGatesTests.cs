using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Registry;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// The throttle every many-reference workflow shares: at most the throttle limit at once overall, at most eight (or the
    /// limit, if lower) per registry, each slot given back when its request ends, however it ends.
    /// </summary>
    public sealed class RegistryRequestGatesTests
    {
        private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

        /// <summary>Requests that stay running until <see cref="Release"/>, counting how many run at once.</summary>
        private sealed class HeldRequests
        {
            private readonly TaskCompletionSource<bool> _release = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            private int _running;

            internal int Running => Volatile.Read(ref _running);

            internal Task<int> Start(RegistryRequestGates gates, string registry) => gates.RunAsync(registry, async () =>
            {
                Interlocked.Increment(ref _running);
                try { await _release.Task; return 1; }
                finally { Interlocked.Decrement(ref _running); }
            }, CancellationToken.None);

            internal void Release() => _release.SetResult(true);

            // Waits until `expected` run, then a little longer so that any request the gates wrongly let through is seen too.
            internal async Task<int> RunningOnceSettledAsync(int expected)
            {
                for (var watch = Stopwatch.StartNew(); Running < expected && watch.Elapsed < HangGuard;) await Task.Delay(10);
                await Task.Delay(300);
                return Running;
            }
        }

        private static async Task AllEndAsync(IEnumerable<Task<int>> requests)
        {
            Task all = Task.WhenAll(requests);
            Assert.Same(all, await Task.WhenAny(all, Task.Delay(HangGuard)));
        }

        [Fact]
        public async Task AtMostTheThrottleLimitRunAtOnceOverAllRegistries()
        {
            using (var gates = new RegistryRequestGates(2))
            {
                var held = new HeldRequests();
                Task<int>[] requests = Enumerable.Range(1, 6).Select(i => held.Start(gates, "registry" + i + ".example")).ToArray();
                Assert.Equal(2, await held.RunningOnceSettledAsync(2));
                held.Release();
                await AllEndAsync(requests);
            }
        }

        [Fact]
        public async Task OneRegistryGetsAtMostEightAtOnceWhateverTheThrottleLimit()
        {
            using (var gates = new RegistryRequestGates(20))
            {
                var held = new HeldRequests();
                Task<int>[] requests = Enumerable.Range(1, 12).Select(_ => held.Start(gates, "registry.example")).ToArray();
                Assert.Equal(RegistryRequestGates.PerRegistryLimit, await held.RunningOnceSettledAsync(RegistryRequestGates.PerRegistryLimit));
                held.Release();
                await AllEndAsync(requests);
            }
        }

        [Fact]
        public async Task ARequestQueuedBehindABusyRegistryHoldsNoOverallSlot()
        {
            // Nine overall: eight run on the busy registry and two more wait for it; the other registry's request still runs.
            using (var gates = new RegistryRequestGates(9))
            {
                var held = new HeldRequests();
                Task<int>[] busy = Enumerable.Range(1, 10).Select(_ => held.Start(gates, "busy.example")).ToArray();
                Assert.Equal(8, await held.RunningOnceSettledAsync(8));
                Task<int> other = held.Start(gates, "other.example");
                Assert.Equal(9, await held.RunningOnceSettledAsync(9));
                held.Release();
                await AllEndAsync(busy.Append(other));
            }
        }

        [Fact]
        public async Task EachSlotIsGivenBackWhenItsRequestEndsEvenByFailing()
        {
            // A limit of one: every request after the first needs the slots the one before it gave back.
            using (var gates = new RegistryRequestGates(1))
            {
                for (int i = 0; i < 3; i++)
                {
                    Task<int> same = gates.RunAsync("registry.example", () => Task.FromResult(i), CancellationToken.None);
                    Assert.Same(same, await Task.WhenAny(same, Task.Delay(HangGuard)));
                    Task<int> failing = gates.RunAsync<int>("registry" + i + ".example", () => throw new InvalidOperationException("refused"), CancellationToken.None);
                    Assert.Same(failing, await Task.WhenAny(failing, Task.Delay(HangGuard)));
                    await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
                }
            }
        }

        [Fact]
        public async Task ARequestWaitingForASlotEndsWithItsCallersStop()
        {
            using (var gates = new RegistryRequestGates(1))
            using (var stop = new CancellationTokenSource())
            {
                var held = new HeldRequests();
                Task<int> running = held.Start(gates, "registry.example");
                Task<int> waiting = gates.RunAsync("other.example", () => Task.FromResult(2), stop.Token);
                stop.CancelAfter(200);
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
                held.Release();
                await AllEndAsync(new[] { running });
            }
        }

        [Fact]
        public async Task DisposedGatesRefuseEveryRequest()
        {
            var gates = new RegistryRequestGates(4);
            Assert.Equal(1, await gates.RunAsync("known.example", () => Task.FromResult(1), CancellationToken.None));
            gates.Dispose();
            await Assert.ThrowsAsync<ObjectDisposedException>(() => gates.RunAsync("known.example", () => Task.FromResult(1), CancellationToken.None));
            await Assert.ThrowsAsync<ObjectDisposedException>(() => gates.RunAsync("new.example", () => Task.FromResult(1), CancellationToken.None));
        }
    }
}
