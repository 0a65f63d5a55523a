using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
using DigestTools.Engine.Registry.Resilience;
using DigestTools.Tests.AuthSupport;
using Xunit;
using Reply = DigestTools.Tests.AuthSupport.ScriptedHttpServer.Reply;
using DigestTools.Engine.Errors;

namespace DigestTools.Tests
{
    /// <summary>A fault-injecting peer in front of the real (anonymous) registry: what is retried, how long, and what is not.</summary>
    [Collection(AuthRegistriesCollection.Name)]
    public sealed class RetryHandlerTests
    {
        private const string Repository = "fixtures/alpha";
        private readonly AuthRegistriesFixture _f;

        public RetryHandlerTests(AuthRegistriesFixture fixture) => _f = fixture;

        private string Registry => _f.Anonymous.Authority;
        private static RegistryCalls Calls(TimeSpan? timeout = null, RetryPolicy policy = null)
            => new RegistryCalls(source: new DockerCredentialStore("/nonexistent/dt-auth/config.json"), timeout: timeout, policy: policy);

        [Fact]
        public async Task TwoServiceUnavailableThenSuccessTakesExactlyThreeRequests()
        {
            using (var proxy = new ScriptedHttpServer((r, i) => i < 2 ? Reply.WithStatus(503) : Reply.Forward(Registry)))
            using (var calls = Calls())
            {
                Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(proxy.Authority, Repository, "v1"));
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
            using (var proxy = new ScriptedHttpServer((r, i) => i == 0 ? Reply.WithStatus(status) : Reply.Forward(Registry)))
            using (var calls = Calls())
            {
                Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(proxy.Authority, Repository, "v1"));
                Assert.Equal(2, proxy.Requests.Count);
            }
        }

        [Fact]
        public async Task PersistentServiceUnavailableStopsAfterTheBoundAndPassesTheAnswerOn()
        {
            using (var proxy = new ScriptedHttpServer((r, i) => Reply.WithStatus(503)))
            using (var calls = Calls(policy: new RetryPolicy { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(10) }))
            using (var response = await calls.ManifestAsync(proxy.Authority, Repository, "v1"))
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
            using (var proxy = new ScriptedHttpServer((r, i) => Reply.WithStatus(status)))
            using (var calls = Calls())
            using (var response = await calls.ManifestAsync(proxy.Authority, Repository, "v1"))
            {
                Assert.Equal(status, (int)response.StatusCode);
                Assert.Single(proxy.Requests);
            }
        }

        [Fact]
        public async Task RetryAfterIsHonored()
        {
            using (var proxy = new ScriptedHttpServer((r, i) => i == 0 ? Reply.WithStatus(429, ("Retry-After", "1")) : Reply.Forward(Registry)))
            using (var calls = Calls())
            {
                var clock = Stopwatch.StartNew();
                Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(proxy.Authority, Repository, "v1"));
                // Correctness, not speed: the client must not come back before the server allowed it.
                Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), "came back after " + clock.Elapsed);
                Assert.Equal(2, proxy.Requests.Count);
            }
        }

        [Fact]
        public async Task RetryAfterBeyondTheCapIsNotWaitedFor()
        {
            using (var proxy = new ScriptedHttpServer((r, i) => Reply.WithStatus(429, ("Retry-After", "3600"))))
            using (var calls = Calls(policy: new RetryPolicy { MaxRetryAfter = TimeSpan.FromSeconds(5) }))
            using (var response = await calls.ManifestAsync(proxy.Authority, Repository, "v1"))
            {
                Assert.Equal((HttpStatusCode)429, response.StatusCode);
                Assert.Single(proxy.Requests);
                Assert.Contains(calls.Captured, l => l.Contains("cap"));
            }
        }

        [Fact]
        public async Task ADroppedBodyIsRetried()
        {
            using (var proxy = new ScriptedHttpServer((r, i) =>
            {
                var reply = Reply.Forward(Registry);
                if (i == 0) reply.DropAfterBytes = 20;
                return reply;
            }))
            using (var calls = Calls())
            {
                Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(proxy.Authority, Repository, "v1"));
                Assert.Equal(2, proxy.Requests.Count);
            }
        }

        [Fact]
        public async Task ABodyDroppedEveryTimeIsRegistryUnreachable()
        {
            using (var proxy = new ScriptedHttpServer((r, i) => { var reply = Reply.Forward(Registry); reply.DropAfterBytes = 20; return reply; }))
            using (var calls = Calls(policy: new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(10) }))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(proxy.Authority, Repository, "v1"));
                Assert.Equal("RegistryUnreachable", e.ErrorId);
                Assert.Equal(FailureCategory.ConnectionError, e.Category);
                Assert.Contains(proxy.Authority, e.Message);
                Assert.Contains("after 3 attempts", e.Message);
                Assert.Equal(3, proxy.Requests.Count);
            }
        }

        [Fact]
        public async Task ARefusedConnectionIsRegistryUnreachableNamingHostAndCause()
        {
            string closed = "127.0.0.1:" + LoopbackRegistry.FreePort();
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
            using (var proxy = new ScriptedHttpServer((r, i) => { var reply = Reply.Forward(Registry); reply.Delay = TimeSpan.FromSeconds(5); return reply; }))
            using (var calls = Calls(timeout: TimeSpan.FromSeconds(1)))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(proxy.Authority, Repository, "v1"));
                Assert.Equal("RegistryTimeout", e.ErrorId);
                Assert.Equal(FailureCategory.OperationTimeout, e.Category);
                Assert.Contains(proxy.Authority, e.Message);
                Assert.Single(proxy.Requests);
            }
        }

        [Fact]
        public async Task CancellationIsNotTurnedIntoAnError()
        {
            using (var proxy = new ScriptedHttpServer((r, i) => { var reply = Reply.Forward(Registry); reply.Delay = TimeSpan.FromSeconds(5); return reply; }))
            using (var calls = Calls())
            using (var cancel = new System.Threading.CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
            {
                var request = new HttpRequestMessage(HttpMethod.Get, "http://" + proxy.Authority + "/v2/" + Repository + "/manifests/v1");
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => calls.Client.SendAsync(request, cancel.Token));
            }
        }

        [Fact]
        public async Task FewRemainingRateLimitedRequestsWarnOnce()
        {
            using (var proxy = new ScriptedHttpServer((r, i) => Reply.Forward(Registry)
                .AddHeader("ratelimit-limit", "100;w=21600").AddHeader("ratelimit-remaining", (5 - i) + ";w=21600")))
            using (var calls = Calls())
            {
                for (int i = 0; i < 3; i++) await calls.ManifestDigestAsync(proxy.Authority, Repository, "v1");
                var warning = Assert.Single(calls.Warnings);
                Assert.Contains("5 of 100", warning);
                Assert.Contains(proxy.Authority, warning);
            }
        }

        [Fact]
        public async Task PlentyOfRemainingRequestsDoNotWarn()
        {
            using (var proxy = new ScriptedHttpServer((r, i) => Reply.Forward(Registry).AddHeader("ratelimit-remaining", "90;w=21600")))
            using (var calls = Calls())
            {
                await calls.ManifestDigestAsync(proxy.Authority, Repository, "v1");
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
