using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
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
            int? remaining = Read(response, "ratelimit-remaining");
            if (remaining == null || remaining.Value > _threshold) return;
            if (Interlocked.Exchange(ref _warned, 1) != 0) return;
            int? limit = Read(response, "ratelimit-limit");
            _warn("Only " + remaining.Value + (limit.HasValue ? " of " + limit.Value : string.Empty)
                + " rate-limited requests are left on " + host + "; further pulls may be refused with TooManyRequests.");
        }

        /// <summary>The leading integer of a rate-limit header ("76;w=21600" -> 76), or null.</summary>
        public static int? Read(HttpResponseMessage response, string header)
        {
            if (!response.Headers.TryGetValues(header, out var values)) return null;
            string first = values.FirstOrDefault();
            if (first == null) return null;
            int end = first.IndexOf(';');
            string number = (end >= 0 ? first.Substring(0, end) : first).Trim();
            return int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : (int?)null;
        }
    }
}
