using System;

namespace DigestTools.Engine.Registry.Resilience
{
    /// <summary>How hard to try: bounded attempts, exponential backoff with jitter, a cap on Retry-After.</summary>
    public sealed class RetryPolicy
    {
        /// <summary>Attempts in total, the first included.</summary>
        public int MaxAttempts { get; set; } = 4;

        /// <summary>Delay before the first retry; doubles for each further retry.</summary>
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);

        /// <summary>Longest backoff between two attempts (before jitter).</summary>
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(8);

        /// <summary>
        /// Longest Retry-After the client waits. A server asking for more gets its answer passed on instead:
        /// waiting less than asked would only earn another refusal.
        /// </summary>
        public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>
        /// The largest body read (4 MiB, containerd's manifest limit). Bodies are read inside each attempt, so
        /// a connection dropped mid-body is retried here; a larger one is ManifestTooLarge, not retried.
        /// </summary>
        public long MaxBodyBytes { get; set; } = RegistryTransport.MaxManifestBytes;

        /// <summary>Rate-limit remaining at or below which the user is warned (once per client).</summary>
        public int RateLimitWarningThreshold { get; set; } = 10;

        private static readonly object RandomGate = new object();
        private static readonly Random Random = new Random();

        /// <summary>Backoff before retry number <paramref name="retry"/> (1-based): base*2^(n-1), capped, times a jitter in [0.5, 1].</summary>
        public TimeSpan Backoff(int retry)
        {
            double exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, retry - 1));
            double capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
            double jitter;
            lock (RandomGate) jitter = 0.5 + Random.NextDouble() * 0.5;   // spreads clients that failed together
            return TimeSpan.FromMilliseconds(capped * jitter);
        }
    }
}
