using System;
using System.Net.Http;
using System.Threading;

namespace DigestTools.Engine.Registry.Resilience
{
    /// <summary>
    /// Watches ratelimit-limit / ratelimit-remaining ("100;w=21600") and warns the user once per client
    /// when few requests are left, before a runbook hits TooManyRequests.
    /// </summary>
    internal sealed class RateLimitMonitor
    {
        private readonly int _threshold;
        private readonly Action<string> _warn;
        private int _warned;

        public RateLimitMonitor(int threshold, Action<string> warn)
        {
            _threshold = threshold;
            _warn = warn;
        }

        public void Observe(string host, HttpResponseMessage response)
        {
            if (_warn == null) return;
            int? remaining = RateLimitHeader.Read(response.Headers, RateLimitHeader.RemainingName);
            if (remaining == null || remaining.Value > _threshold) return;
            if (Interlocked.Exchange(ref _warned, 1) != 0) return;
            int? limit = RateLimitHeader.Read(response.Headers, RateLimitHeader.LimitName);
            _warn("Only " + remaining.Value + (limit.HasValue ? " of " + limit.Value : string.Empty)
                + " rate-limited requests are left on " + host + "; further pulls may be refused with TooManyRequests.");
        }
    }
}
