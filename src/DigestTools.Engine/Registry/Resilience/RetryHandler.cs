using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Registry.Authentication;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Registry.Resilience
{
    /// <summary>
    /// Retries what can succeed on a second try: connection failures (including a connection dropped while
    /// the body arrives) and 408, 429, 500, 502, 503, 504, with bounded attempts, exponential backoff with
    /// jitter, and Retry-After honored up to a cap. Other statuses pass through untouched. Only idempotent
    /// requests are retried (GET, HEAD, OPTIONS, or ones marked with <see cref="MarkRetryable"/>).
    /// Each attempt gets the per-request timeout; the body is read within it so a stalled or dropped body is
    /// seen here, not later by the caller, and never beyond the body limit (<see cref="BoundedBody"/>: a body
    /// over it is ManifestTooLarge at once, never retried). The caller's token bounds everything, waits included:
    /// the registry client cancels it at the reference's deadline. Connection failures that outlast the attempts become
    /// RegistryUnreachable (host and cause); a timeout becomes RegistryTimeout and is not retried, since it
    /// already cost the whole timeout.
    /// </summary>
    public sealed class RetryHandler : DelegatingHandler
    {
        private const string RetryableProperty = "DigestTools.Retryable";
        private readonly RetryPolicy _policy;
        private readonly TimeSpan _requestTimeout;
        private readonly Action<string> _log;
        private readonly RateLimitMonitor _rateLimits;

        public RetryHandler(RetryPolicy policy, TimeSpan requestTimeout, Action<string> log = null, Action<string> warn = null)
        {
            _policy = policy ?? new RetryPolicy();
            _requestTimeout = requestTimeout <= TimeSpan.Zero ? Timeout.InfiniteTimeSpan : requestTimeout;
            _log = log;
            _rateLimits = new RateLimitMonitor(_policy.RateLimitWarningThreshold, warn);
        }

        /// <summary>Allows retrying a request whose method is not idempotent by itself (e.g. an OAuth token POST).</summary>
        public static void MarkRetryable(HttpRequestMessage request)
        {
#pragma warning disable CS0618 // Properties: the only per-request bag on netstandard2.0
            request.Properties[RetryableProperty] = true;
#pragma warning restore CS0618
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string host = HostNames.Authority(request.RequestUri);
            string what = request.Method + " " + request.RequestUri.AbsolutePath;
            bool retryable = IsRetryable(request);
            int maxAttempts = Math.Max(1, _policy.MaxAttempts);

            for (int attempt = 1; ; attempt++)
            {
                HttpResponseMessage response = null;
                Exception failure = null;
                using (var attemptCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    if (_requestTimeout != Timeout.InfiniteTimeSpan) attemptCancellation.CancelAfter(_requestTimeout);
                    try
                    {
                        response = await base.SendAsync(request, attemptCancellation.Token).ConfigureAwait(false);
                        await BoundedBody.BufferAsync(response, _policy.MaxBodyBytes, attemptCancellation.Token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (!(e is FailureException))
                    {
                        response?.Dispose();
                        response = null;
                        cancellationToken.ThrowIfCancellationRequested();
                        if (attemptCancellation.IsCancellationRequested) throw TimedOut(host, what, e);
                        if (!IsConnectionFailure(e)) throw;
                        failure = e;
                    }
                }

                if (response != null)
                {
                    _rateLimits.Observe(host, response);
                    if (!retryable || !IsRetryableStatus(response.StatusCode) || attempt >= maxAttempts) return response;

                    var retryAfter = RetryAfter(response);
                    if (retryAfter > _policy.MaxRetryAfter)
                    {
                        _log?.Invoke(host + " answered " + (int)response.StatusCode + " to " + what + " and asks to wait "
                            + Seconds(retryAfter.Value) + ", longer than the " + Seconds(_policy.MaxRetryAfter) + " cap: not retrying");
                        return response;
                    }
                    var delay = retryAfter ?? _policy.Backoff(attempt);
                    _log?.Invoke(host + " answered " + (int)response.StatusCode + " to " + what + "; retry " + attempt + " of "
                        + (maxAttempts - 1) + " in " + Seconds(delay) + (retryAfter.HasValue ? " (Retry-After)" : string.Empty));
                    response.Dispose();
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                string cause = Cause(failure);
                if (!retryable || attempt >= maxAttempts)
                {
                    throw new FailureException(ErrorCatalog.RegistryUnreachable, "Cannot reach registry " + host + " (" + what + "): " + cause
                        + (attempt > 1 ? " (after " + attempt + " attempts)" : string.Empty) + ".", failure);
                }
                var backoff = _policy.Backoff(attempt);
                _log?.Invoke(what + " on " + host + " failed: " + cause + "; retry " + attempt + " of " + (maxAttempts - 1) + " in " + Seconds(backoff));
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
            }
        }

        private static bool IsRetryable(HttpRequestMessage request)
        {
            if (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options) return true;
#pragma warning disable CS0618
            return request.Properties.TryGetValue(RetryableProperty, out var marked) && marked is bool b && b;
#pragma warning restore CS0618
        }

        private static bool IsRetryableStatus(HttpStatusCode status)
        {
            int code = (int)status;
            return code == 408 || code == 429 || code == 500 || code == 502 || code == 503 || code == 504;
        }

        private static TimeSpan? RetryAfter(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            if (header == null) return null;
            if (header.Delta.HasValue) return header.Delta.Value < TimeSpan.Zero ? TimeSpan.Zero : header.Delta.Value;
            if (header.Date.HasValue)
            {
                var wait = header.Date.Value - DateTimeOffset.UtcNow;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
            return null;
        }

        private static bool IsConnectionFailure(Exception e)
        {
            for (var current = e; current != null; current = current.InnerException)
            {
                if (current is HttpRequestException || current is IOException || current is SocketException) return true;
            }
            return false;
        }

        // The innermost message says what happened ("Connection refused", "The response ended prematurely").
        private static string Cause(Exception e)
        {
            var innermost = e;
            while (innermost.InnerException != null) innermost = innermost.InnerException;
            string message = innermost.Message?.Trim().TrimEnd('.');
            return string.IsNullOrEmpty(message) ? innermost.GetType().Name : message;
        }

        private FailureException TimedOut(string host, string what, Exception inner)
            => new FailureException(ErrorCatalog.RegistryTimeout, "Registry " + host + " did not answer " + what + " within " + Seconds(_requestTimeout) + ".", inner);

        private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s";
    }
}
