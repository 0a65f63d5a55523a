using System;
using System.Collections.Generic;

namespace DigestTools.Engine.Docker
{
    /// <summary>
    /// What to create as a Swarm service: the subset of `docker service create` runbooks need. Plain values only.
    /// Labels are the service's (the io.digesttools.* ones go on its containers too); Ports are published in ingress
    /// mode (an empty HostPort lets Swarm choose); Entrypoint and Command become Swarm's ContainerSpec.Command and Args.
    /// </summary>
    public sealed class SwarmServiceSpec : WorkloadSpec
    {
        /// <summary>repository:tag@sha256:... (the form the docker CLI writes): the digest pins, the tag informs.</summary>
        public string Image { get; set; }

        /// <summary>Labels of each task's container.</summary>
        public IDictionary<string, string> ContainerLabels { get; set; } = new Dictionary<string, string>();

        /// <summary>Swarm-scoped networks to attach, by name or id.</summary>
        public IList<string> Networks { get; set; } = new List<string>();

        /// <summary>Placement constraints, e.g. "node.role==manager".</summary>
        public IList<string> Constraints { get; set; } = new List<string>();

        /// <summary>One task on every node instead of a number of replicas.</summary>
        public bool Global { get; set; }

        /// <summary>Replicated mode: the number of tasks (ignored when Global).</summary>
        public ulong Replicas { get; set; } = 1;

        /// <summary>none, on-failure or any (Swarm's default); null leaves Swarm's default.</summary>
        public string RestartCondition { get; set; }

        public ulong? RestartMaxAttempts { get; set; }
        public TimeSpan? RestartDelay { get; set; }

        /// <summary>Rolling update settings; null members leave Swarm's defaults.</summary>
        public ulong? UpdateParallelism { get; set; }
        public TimeSpan? UpdateDelay { get; set; }

        /// <summary>pause (Swarm's default), continue or rollback.</summary>
        public string UpdateFailureAction { get; set; }

        /// <summary>stop-first (Swarm's default) or start-first.</summary>
        public string UpdateOrder { get; set; }

        /// <summary>How long Swarm watches each new task for a failure during an update.</summary>
        public TimeSpan? UpdateMonitor { get; set; }
    }
}
