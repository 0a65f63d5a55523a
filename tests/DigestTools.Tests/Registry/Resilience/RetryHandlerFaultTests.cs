using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Registry.Resilience;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// The retry rules against scripted faults a real registry does not produce on demand (exceptions of any kind,
    /// Retry-After as a date, a POST): what is retried, how often, and what the caller gets when it gives up.
    /// </summary>
    public sealed class RetryHandlerFaultTests
    {
        private const string Url = "http://reg.example:5000/v2/a/manifests/v1";
        private readonly List<string> _warnings = new List<string>();
        private int _requests;

        private sealed class Scripted : HttpMessageHandler
        {
            internal Func<HttpRequestMessage, HttpResponseMessage> Answer;
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
                => Task.FromResult(Answer(request));
        }

        private HttpMessageInvoker Invoker(Func<HttpRequestMessage, HttpResponseMessage> answer, int maxAttempts = 4, int threshold = 10)
        {
            var policy = new RetryPolicy { MaxAttempts = maxAttempts, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2), RateLimitWarningThreshold = threshold };
            var inner = new Scripted { Answer = r => { Interlocked.Increment(ref _requests); return answer(r); } };
            return new HttpMessageInvoker(new RetryHandler(policy, TimeSpan.FromSeconds(30), null, _warnings.Add) { InnerHandler = inner });
        }

        private static HttpResponseMessage Answer(HttpRequestMessage request, int status)
            => new HttpResponseMessage((HttpStatusCode)status) { RequestMessage = request, Content = new ByteArrayContent(new byte[0]) };

        [Fact]
        public async Task APostIsNotRetriedUnlessMarkedRetryable()
        {
            using (var invoker = Invoker(r => Answer(r, 503)))
            {
                using (var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, Url), CancellationToken.None))
                    Assert.Equal(503, (int)response.StatusCode);
                Assert.Equal(1, _requests);

                var marked = new HttpRequestMessage(HttpMethod.Post, Url);
                RetryHandler.MarkRetryable(marked);
                using (var response = await invoker.SendAsync(marked, CancellationToken.None))
                    Assert.Equal(503, (int)response.StatusCode);
                Assert.Equal(1 + 4, _requests);
            }
        }

        [Fact]
        public async Task OptionsIsRetriedLikeGetAndHead()
        {
            using (var invoker = Invoker(r => Answer(r, _requests == 1 ? 502 : 200)))
            using (var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Options, Url), CancellationToken.None))
            {
                Assert.Equal(200, (int)response.StatusCode);
                Assert.Equal(2, _requests);
            }
        }

        [Fact]
        public async Task ARetryAfterDateInThePastIsRetriedAtOnceAndOneBeyondTheCapIsPassedOn()
        {
            using (var invoker = Invoker(r =>
            {
                var response = Answer(r, 503);
                response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(
                    _requests == 1 ? DateTimeOffset.UtcNow.AddHours(-1) : DateTimeOffset.UtcNow.AddHours(1));
                return response;
            }))
            using (var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), CancellationToken.None))
            {
                Assert.Equal(503, (int)response.StatusCode);
                Assert.Equal(2, _requests);   // the past date is waited for (0 s); an hour is over the 60 s cap
            }
        }

        [Fact]
        public async Task NoAttemptsStillMeansOneAttempt()
        {
            using (var invoker = Invoker(r => Answer(r, 503), maxAttempts: 0))
            using (var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), CancellationToken.None))
            {
                Assert.Equal(503, (int)response.StatusCode);
                Assert.Equal(1, _requests);
            }
        }

        [Fact]
        public async Task ConnectionFailuresOutlastingTheAttemptsAreRegistryUnreachableWithTheInnermostCause()
        {
            using (var invoker = Invoker(r => throw new HttpRequestException("An error occurred.", new IOException("Connection reset by peer."))))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), CancellationToken.None));
                Assert.Same(ErrorCatalog.RegistryUnreachable, e.Kind);
                Assert.Equal("Cannot reach registry reg.example:5000 (GET /v2/a/manifests/v1): Connection reset by peer (after 4 attempts).", e.Message);
                Assert.Equal(4, _requests);
            }
        }

        [Fact]
        public async Task AConnectionFailureOfAPostIsReportedAtOnceAndACauseWithoutTextIsNamedByItsType()
        {
            using (var invoker = Invoker(r => throw new HttpRequestException("x", new IOException(" "))))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, Url), CancellationToken.None));
                Assert.Equal("Cannot reach registry reg.example:5000 (POST /v2/a/manifests/v1): IOException.", e.Message);
                Assert.Equal(1, _requests);
            }
        }

        [Fact]
        public async Task AFailureThatIsNotAConnectionFailurePassesThroughUntouched()
        {
            using (var invoker = Invoker(r => throw new InvalidOperationException("a bug")))
            {
                var e = await Assert.ThrowsAsync<InvalidOperationException>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), CancellationToken.None));
                Assert.Equal("a bug", e.Message);
                Assert.Equal(1, _requests);
            }
        }

        [Theory]
        [InlineData("10", "100", "Only 10 of 100 rate-limited requests are left on reg.example:5000; further pulls may be refused with TooManyRequests.")]
        [InlineData("3", null, "Only 3 rate-limited requests are left on reg.example:5000; further pulls may be refused with TooManyRequests.")]
        [InlineData("11", "100", null)]
        public async Task AWarningComesAtTheThresholdNotAboveIt(string remaining, string limit, string warning)
        {
            using (var invoker = Invoker(r =>
            {
                var response = Answer(r, 200);
                response.Headers.TryAddWithoutValidation("RateLimit-Remaining", remaining);
                if (limit != null) response.Headers.TryAddWithoutValidation("RateLimit-Limit", limit);
                return response;
            }))
            {
                (await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), CancellationToken.None)).Dispose();
                Assert.Equal(warning == null ? new string[0] : new[] { warning }, _warnings);
            }
        }
    }
}
