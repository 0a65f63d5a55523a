using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Registry.Resilience;
using DigestTools.Tests.Support;
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
        private const string What = "GET /v2/a/manifests/v1";
        private readonly List<string> _warnings = new List<string>();
        private readonly List<string> _verbose = new List<string>();
        private int _requests;

        // Answers after a delay, or when the attempt is cancelled.
        private sealed class Slow : HttpMessageHandler
        {
            internal TimeSpan Delay = Timeout.InfiniteTimeSpan;
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                await Task.Delay(Delay, cancellationToken);
                return Answer(request, 200);
            }
        }

        private HttpMessageInvoker Invoker(Func<HttpRequestMessage, HttpResponseMessage> answer, int maxAttempts = 4, int threshold = 10,
            TimeSpan? baseDelay = null, bool warn = true)
        {
            var policy = new RetryPolicy
            {
                MaxAttempts = maxAttempts, BaseDelay = baseDelay ?? TimeSpan.FromMilliseconds(1), MaxDelay = baseDelay ?? TimeSpan.FromMilliseconds(2),
                RateLimitWarningThreshold = threshold,
            };
            var inner = new ScriptedHandler(r => { Interlocked.Increment(ref _requests); return answer(r); });
            var handler = new RetryHandler(policy, TimeSpan.FromSeconds(30), line => { lock (_verbose) _verbose.Add(line); }, warn ? _warnings.Add : (Action<string>)null)
            {
                InnerHandler = inner,
            };
            return new HttpMessageInvoker(handler);
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
    

        private static HttpResponseMessage WithRetryAfter(HttpResponseMessage response, TimeSpan? wait)
        {
            if (wait.HasValue) response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait.Value);
            return response;
        }

        [Fact]
        public async Task EachRetryIsToldOnTheVerboseStreamWithStatusRequestRetryNumberAndWait()
        {
            // Retry-After 0 first, then the back-off (base 0: no jitter to print), then success.
            using (var invoker = Invoker(r => _requests == 3 ? Answer(r, 200) : WithRetryAfter(Answer(r, 503), _requests == 1 ? TimeSpan.Zero : (TimeSpan?)null),
                baseDelay: TimeSpan.Zero))
            using (var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), CancellationToken.None))
            {
                Assert.Equal(200, (int)response.StatusCode);
                Assert.Equal(new[]
                {
                    "reg.example:5000 answered 503 to " + What + "; retry 1 of 3 in 0 s (Retry-After)",
                    "reg.example:5000 answered 503 to " + What + "; retry 2 of 3 in 0 s",
                }, _verbose);
            }
        }

        [Fact]
        public async Task ARetryAfterOverTheCapIsToldAndTheAnswerPassedOn()
        {
            using (var invoker = Invoker(r => WithRetryAfter(Answer(r, 429), TimeSpan.FromSeconds(120))))
            using (var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), CancellationToken.None))
            {
                Assert.Equal(429, (int)response.StatusCode);
                Assert.Equal(1, _requests);
                Assert.Equal(new[] { "reg.example:5000 answered 429 to " + What + " and asks to wait 120 s, longer than the 60 s cap: not retrying" }, _verbose);
            }
        }

        [Fact]
        public async Task AConnectionFailureRetryIsToldWithItsCause()
        {
            using (var invoker = Invoker(r => _requests == 1 ? throw new HttpRequestException("x", new IOException("Connection reset by peer.")) : Answer(r, 200),
                baseDelay: TimeSpan.Zero))
            using (var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), CancellationToken.None))
            {
                Assert.Equal(200, (int)response.StatusCode);
                Assert.Equal(new[] { What + " on reg.example:5000 failed: Connection reset by peer; retry 1 of 3 in 0 s" }, _verbose);
            }
        }

        [Fact]
        public async Task TheBackOffAfterAConnectionFailureIsWaitedAndAStopDuringItIsACancellation()
        {
            using (var stop = new CancellationTokenSource())
            using (var invoker = Invoker(r => throw new HttpRequestException("x", new IOException("Connection refused")), baseDelay: TimeSpan.FromHours(1)))
            {
                Task<HttpResponseMessage> call = invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), stop.Token);
                // The retry is announced just before its back-off starts.
                for (var watch = System.Diagnostics.Stopwatch.StartNew(); _verbose.Count == 0 && !call.IsCompleted; await Task.Delay(20))
                    Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "the first attempt never failed");
                stop.Cancel();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
                Assert.Equal(1, _requests);
            }
        }

        [Fact]
        public async Task AnAttemptOverTheRequestTimeoutIsRegistryTimeoutNamingRequestAndTimeout()
        {
            var handler = new RetryHandler(new RetryPolicy(), TimeSpan.FromMilliseconds(50)) { InnerHandler = new Slow() };
            using (var invoker = new HttpMessageInvoker(handler))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), CancellationToken.None));
                Assert.Same(ErrorCatalog.RegistryTimeout, e.Kind);
                Assert.Equal("Registry reg.example:5000 did not answer " + What + " within 0.05 s.", e.Message);
            }
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-1000)]
        public async Task ARequestTimeoutOfZeroOrLessMeansNone(int milliseconds)
        {
            var handler = new RetryHandler(new RetryPolicy(), TimeSpan.FromMilliseconds(milliseconds)) { InnerHandler = new Slow { Delay = TimeSpan.FromMilliseconds(100) } };
            using (var invoker = new HttpMessageInvoker(handler))
            using (var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), CancellationToken.None))
                Assert.Equal(200, (int)response.StatusCode);
        }

        [Fact]
        public async Task WithoutAWarningSinkFewRemainingRequestsAreNoError()
        {
            using (var invoker = Invoker(r =>
            {
                var response = Answer(r, 200);
                response.Headers.TryAddWithoutValidation("RateLimit-Remaining", "0");
                return response;
            }, warn: false))
            using (var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), CancellationToken.None))
                Assert.Equal(200, (int)response.StatusCode);
        }
    }
}
