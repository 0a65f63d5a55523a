using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
using DigestTools.Engine.Registry.Resilience;
using DigestTools.Tests.Support;
using Xunit;
using DigestTools.TestServers;
using DigestTools.Engine.Errors;

namespace DigestTools.Tests
{
    /// <summary>A fault-injecting peer in front of the real (anonymous) registry: what is retried, how long, and what is not.</summary>
    [Collection(AuthRegistriesCollection.Name)]
    public sealed class RetryHandlerTests : AuthRegistriesTests
    {
        public RetryHandlerTests(AuthRegistriesFixture fixture) : base(fixture) { }

        private string Registry => _f.Anonymous.Address;
        private static RegistryCalls Calls(TimeSpan? timeout = null, RetryPolicy policy = null)
            => new RegistryCalls(source: new DockerCredentialStore("/nonexistent/dt-auth/config.json"), timeout: timeout, policy: policy);

        /// <summary>The fault server in front of the anonymous registry, with these rules.</summary>
        private FaultServer Proxy(params FaultRule[] rules)
        {
            var proxy = FaultServer.Started(Registry);
            foreach (var rule in rules) proxy.Rules.Add(rule);
            return proxy;
        }

        private static FaultRule Status(int status, int? times = null, string retryAfter = null)
            => new FaultRule { Path = ".", Action = "status", Status = status, Times = times, RetryAfter = retryAfter };

        [Fact]
        public async Task TwoServiceUnavailableThenSuccessTakesExactlyThreeRequests()
        {
            await using (var proxy = Proxy(Status(503, times: 2)))
            using (var calls = Calls())
            {
                Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(proxy.Address, Repository, "v1"));
                Assert.Equal(3, proxy.Requests.Count);
                Assert.Equal(2, calls.Captured.Count(l => l.Contains("answered 503")));
            }
        }

        [Theory]
        [InlineData(408)]
        [InlineData(429)]
        [InlineData(500)]
        [InlineData(502)]
        [InlineData(504)]
        public async Task TransientStatusesAreRetried(int status)
        {
            await using (var proxy = Proxy(Status(status, times: 1)))
            using (var calls = Calls())
            {
                Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(proxy.Address, Repository, "v1"));
                Assert.Equal(2, proxy.Requests.Count);
            }
        }

        [Fact]
        public async Task PersistentServiceUnavailableStopsAfterTheBoundAndPassesTheAnswerOn()
        {
            await using (var proxy = Proxy(Status(503)))
            using (var calls = Calls(policy: new RetryPolicy { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(10) }))
            using (var response = await calls.ManifestAsync(proxy.Address, Repository, "v1"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.Equal(4, proxy.Requests.Count);
            }
        }

        [Theory]
        [InlineData(400)]
        [InlineData(403)]
        [InlineData(404)]
        [InlineData(405)]
        public async Task OtherClientErrorsAreNotRetried(int status)
        {
            await using (var proxy = Proxy(Status(status)))
            using (var calls = Calls())
            using (var response = await calls.ManifestAsync(proxy.Address, Repository, "v1"))
            {
                Assert.Equal(status, (int)response.StatusCode);
                Assert.Single(proxy.Requests);
            }
        }

        [Fact]
        public async Task RetryAfterIsHonored()
        {
            await using (var proxy = Proxy(Status(429, times: 1, retryAfter: "1")))
            using (var calls = Calls())
            {
                var clock = Stopwatch.StartNew();
                Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(proxy.Address, Repository, "v1"));
                // Correctness, not speed: the client must not come back before the server allowed it.
                Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), "came back after " + clock.Elapsed);
                Assert.Equal(2, proxy.Requests.Count);
            }
        }

        [Fact]
        public async Task RetryAfterBeyondTheCapIsNotWaitedFor()
        {
            await using (var proxy = Proxy(Status(429, retryAfter: "3600")))
            using (var calls = Calls(policy: new RetryPolicy { MaxRetryAfter = TimeSpan.FromSeconds(5) }))
            using (var response = await calls.ManifestAsync(proxy.Address, Repository, "v1"))
            {
                Assert.Equal((HttpStatusCode)429, response.StatusCode);
                Assert.Single(proxy.Requests);
                Assert.Contains(calls.Captured, l => l.Contains("cap"));
            }
        }

        [Fact]
        public async Task ADroppedBodyIsRetried()
        {
            await using (var proxy = Proxy(new FaultRule { Path = ".", Action = "drop-connection", Bytes = 20, Times = 1 }))
            using (var calls = Calls())
            {
                Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(proxy.Address, Repository, "v1"));
                Assert.Equal(2, proxy.Requests.Count);
            }
        }

        [Fact]
        public async Task ABodyDroppedEveryTimeIsRegistryUnreachable()
        {
            await using (var proxy = Proxy(new FaultRule { Path = ".", Action = "drop-connection", Bytes = 20 }))
            using (var calls = Calls(policy: new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(10) }))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(proxy.Address, Repository, "v1"));
                Assert.Equal("RegistryUnreachable", e.ErrorId);
                Assert.Equal(FailureCategory.ConnectionError, e.Category);
                Assert.Contains(proxy.Address, e.Message);
                Assert.Contains("after 3 attempts", e.Message);
                Assert.Equal(3, proxy.Requests.Count);
            }
        }

        [Fact]
        public async Task ARefusedConnectionIsRegistryUnreachableNamingHostAndCause()
        {
            string closed = "127.0.0.1:" + RegistryProcess.FreePort();
            using (var calls = Calls(policy: new RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(10) }))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(closed, Repository, "v1"));
                Assert.Equal("RegistryUnreachable", e.ErrorId);
                Assert.Contains(closed, e.Message);
                Assert.Contains("refused", e.Message, StringComparison.OrdinalIgnoreCase);
            }
        }

        [Fact]
        public async Task AnAnswerSlowerThanTheTimeoutIsRegistryTimeoutAndNotRetried()
        {
            await using (var proxy = Proxy(new FaultRule { Path = ".", Action = "delay", DelayMs = 5000 }))
            using (var calls = Calls(timeout: TimeSpan.FromSeconds(1)))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(proxy.Address, Repository, "v1"));
                Assert.Equal("RegistryTimeout", e.ErrorId);
                Assert.Equal(FailureCategory.OperationTimeout, e.Category);
                Assert.Contains(proxy.Address, e.Message);
                Assert.Single(proxy.Requests);
            }
        }

        [Fact]
        public async Task CancellationIsNotTurnedIntoAnError()
        {
            await using (var proxy = Proxy(new FaultRule { Path = ".", Action = "delay", DelayMs = 5000 }))
            using (var calls = Calls())
            using (var cancel = new System.Threading.CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
            {
                var request = new HttpRequestMessage(HttpMethod.Get, "http://" + proxy.Address + "/v2/" + Repository + "/manifests/v1");
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => calls.Client.SendAsync(request, cancel.Token));
            }
        }

        [Fact]
        public async Task FewRemainingRateLimitedRequestsWarnOnce()
        {
            // Low on every answer: the warning still comes once.
            await using (var proxy = Proxy(
                new FaultRule { Path = ".", Action = "set-header", Header = "ratelimit-limit", Value = "100;w=21600" },
                new FaultRule { Path = ".", Action = "set-header", Header = "ratelimit-remaining", Value = "5;w=21600" }))
            using (var calls = Calls())
            {
                for (int i = 0; i < 3; i++) await calls.ManifestDigestAsync(proxy.Address, Repository, "v1");
                var warning = Assert.Single(calls.Warnings);
                Assert.Contains("5 of 100", warning);
                Assert.Contains(proxy.Address, warning);
            }
        }

        [Fact]
        public async Task PlentyOfRemainingRequestsDoNotWarn()
        {
            await using (var proxy = Proxy(new FaultRule { Path = ".", Action = "set-header", Header = "ratelimit-remaining", Value = "90;w=21600" }))
            using (var calls = Calls())
            {
                await calls.ManifestDigestAsync(proxy.Address, Repository, "v1");
                Assert.Empty(calls.Warnings);
            }
        }

        [Fact]
        public void BackoffGrowsExponentiallyWithJitterAndIsCapped()
        {
            var policy = new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(1000) };
            for (int n = 0; n < 200; n++)
            {
                var first = policy.Backoff(1);
                var third = policy.Backoff(3);
                var tenth = policy.Backoff(10);
                Assert.InRange(first.TotalMilliseconds, 50, 100);
                Assert.InRange(third.TotalMilliseconds, 200, 400);
                Assert.InRange(tenth.TotalMilliseconds, 500, 1000);
            }
            var samples = Enumerable.Range(0, 50).Select(_ => policy.Backoff(2).TotalMilliseconds).Distinct().Count();
            Assert.True(samples > 1, "no jitter");
        }
    }
}
