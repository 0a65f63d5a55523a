using System.Management.Automation;

namespace DigestTools
{
    /// <summary>
    /// Output of Get-ImageDrift -Service: what one Swarm service's spec pins, what its running tasks run, and what
    /// its tag names now. Name binds by property name to Update-PinnedService.
    /// </summary>
    public sealed class ServiceImageDrift
    {
        public string Name { get; set; }
        public string Id { get; set; }

        /// <summary>The Swarm manager asked.</summary>
        public string Engine { get; set; }

        /// <summary>The spec's image, e.g. registry/app:1.4@sha256:...</summary>
        public string Image { get; set; }

        /// <summary>registry/repository of the spec's image.</summary>
        public string Repository { get; set; }

        /// <summary>The digest the spec pins; empty when the spec names only a tag.</summary>
        public string SpecDigest { get; set; }

        /// <summary>The distinct digests the running tasks run: two while (or after) a rollout left old tasks.</summary>
        public string[] TaskDigests { get; set; }

        public int RunningTasks { get; set; }

        /// <summary>The io.digesttools.source-reference label, when present.</summary>
        public string SourceReference { get; set; }

        /// <summary>The tag followed: the source reference's, else the spec image's.</summary>
        public string Tag { get; set; }

        /// <summary>What the tag names now (the whole image, as the spec pins it).</summary>
        public string CurrentDigest { get; set; }

        public DriftStatus Status { get; set; }

        /// <summary>With Status Unknown: the error (also written to the error stream); null otherwise.</summary>
        public ErrorRecord Error { get; set; }

        internal static ServiceImageDrift From(DigestTools.Engine.Drift.ServiceDrift d, ErrorRecord error) => new ServiceImageDrift
        {
            Name = d.Name,
            Id = d.Id,
            Engine = d.Engine,
            Image = d.Image,
            Repository = d.Repository,
            SpecDigest = d.SpecDigest,
            TaskDigests = System.Linq.Enumerable.ToArray(d.TaskDigests),
            RunningTasks = d.RunningTasks,
            SourceReference = d.SourceReference,
            Tag = d.Tag,
            CurrentDigest = d.CurrentDigest,
            Status = ImageDrift.StatusOf(d.Status),
            Error = error,
        };

        public override string ToString() => (Name ?? Id) + ": " + Status;
    }
}
