using System;

namespace DigestTools.Engine.Docker
{
    /// <summary>One task of a Swarm service: where it runs, from which image, in which state.</summary>
    public sealed class EngineServiceTask
    {
        public string Id { get; set; }
        public string ServiceId { get; set; }

        /// <summary>Replicated services: the replica slot (1..N); null for global services.</summary>
        public ulong? Slot { get; set; }

        public string NodeId { get; set; }

        /// <summary>The image of the spec this task was created from (repo:tag@sha256:...).</summary>
        public string Image { get; set; }

        /// <summary>What Swarm wants: running, shutdown, ...</summary>
        public string DesiredState { get; set; }

        /// <summary>What the task is: new, pending, preparing, starting, running, complete, failed, rejected, shutdown, ...</summary>
        public string State { get; set; }

        public string Message { get; set; }

        /// <summary>Why the task failed or was rejected, as Swarm said it.</summary>
        public string Error { get; set; }

        public string ContainerId { get; set; }
        public long? ExitCode { get; set; }
        public DateTime? Timestamp { get; set; }

        /// <summary>True for the states a task never leaves successfully.</summary>
        public bool HasFailed => State == "failed" || State == "rejected";
    }
}
