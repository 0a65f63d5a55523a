using System;

namespace DigestTools.Engine.Drift
{
    /// <summary>One service asked about: its drift, or why there is none (e.g. no such service).</summary>
    public sealed class ServiceDriftResult
    {
        /// <summary>The name or id asked for (or the listed service's id).</summary>
        public string Target { get; set; }
        public ServiceDrift Drift { get; set; }

        /// <summary>An engine failure for this one service (ServiceNotFound...).</summary>
        public Exception Failure { get; set; }
    }
}
