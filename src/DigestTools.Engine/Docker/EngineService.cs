using System;
using System.Collections.Generic;

namespace DigestTools.Engine.Docker
{
    /// <summary>A Swarm service as inspected: its spec's image, mode and the state of its latest update.</summary>
    public sealed class EngineService
    {
        public string Id { get; set; }
        public string Name { get; set; }

        /// <summary>The spec's version; an update must name it (Swarm's optimistic concurrency).</summary>
        public ulong Version { get; set; }

        /// <summary>The image of the current spec, e.g. repo:tag@sha256:...</summary>
        public string Image { get; set; }

        /// <summary>The image of the spec before the last update (or rollback), when there is one.</summary>
        public string PreviousImage { get; set; }

        public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();

        /// <summary>"replicated" or "global" (jobs: "replicated-job", "global-job").</summary>
        public string Mode { get; set; }

        /// <summary>Replicated mode: the desired number of tasks; null for global.</summary>
        public ulong? Replicas { get; set; }

        /// <summary>Swarm's update state: updating, paused, completed, rollback_started, rollback_paused, rollback_completed; null before any update.</summary>
        public string UpdateState { get; set; }

        public string UpdateMessage { get; set; }
        public DateTime? UpdateStartedAt { get; set; }

        /// <summary>When the spec last changed (an update or rollback moves it).</summary>
        public DateTime? UpdatedAt { get; set; }
    }
}
