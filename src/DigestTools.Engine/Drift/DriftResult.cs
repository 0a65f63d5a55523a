using System;

namespace DigestTools.Engine.Drift
{
    /// <summary>One container asked about: its drift, or why there is none (e.g. no such container).</summary>
    public sealed class DriftResult
    {
        /// <summary>The name or id asked for (or the listed container's id).</summary>
        public string Target { get; set; }
        public ContainerDrift Drift { get; set; }

        /// <summary>An engine failure for this one container (ContainerNotFound, ContainerInspectFailed...).</summary>
        public Exception Failure { get; set; }
    }
}
