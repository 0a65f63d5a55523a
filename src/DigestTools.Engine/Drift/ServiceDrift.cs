using System;
using System.Collections.Generic;

namespace DigestTools.Engine.Drift
{
    /// <summary>What one Swarm service's spec pins, what its running tasks run, and what its tag names now. Plain values.</summary>
    public sealed class ServiceDrift
    {
        public string Name { get; set; }
        public string Id { get; set; }

        /// <summary>The Swarm manager asked.</summary>
        public string Engine { get; set; }

        /// <summary>The spec's image, e.g. registry/app:1.4@sha256:...</summary>
        public string Image { get; set; }

        /// <summary>registry/repository of the spec's image.</summary>
        public string Repository { get; set; }

        /// <summary>The digest the spec pins; null when the spec names only a tag (every node then resolves it itself).</summary>
        public string SpecDigest { get; set; }

        /// <summary>The distinct digests the running tasks were created from: more than one while (or after) a rollout left old tasks.</summary>
        public IReadOnlyList<string> TaskDigests { get; set; } = new string[0];

        public int RunningTasks { get; set; }

        /// <summary>From the io.digesttools.source-reference label, when present.</summary>
        public string SourceReference { get; set; }

        /// <summary>The tag followed: the source reference's, else the spec image's; null when there is none.</summary>
        public string Tag { get; set; }

        /// <summary>What the tag names now (the whole image: an index digest for a multi-platform image, as the spec pins).</summary>
        public string CurrentDigest { get; set; }

        public ContainerDriftStatus Status { get; set; }

        /// <summary>Why the status is Unknown; null otherwise.</summary>
        public Exception Error { get; set; }
    }
}
