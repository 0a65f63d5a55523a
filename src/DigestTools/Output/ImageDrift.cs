using System.Management.Automation;

namespace DigestTools
{
    /// <summary>
    /// Output of Get-ImageDrift: what one container runs, against its pin and against what its tag names now.
    /// Id binds by property name to Get-ImageDrift, and Id/Name to New-PinnedContainer -FromContainer.
    /// </summary>
    public sealed class ImageDrift
    {
        public string Name { get; set; }
        public string Id { get; set; }

        /// <summary>"running", "exited", "created"...</summary>
        public string State { get; set; }

        /// <summary>The engine address the container lives on.</summary>
        public string Engine { get; set; }

        /// <summary>Config.Image: what the container was created from, exactly as the engine recorded it.</summary>
        public string ConfiguredImage { get; set; }

        /// <summary>registry/repository of the container's image.</summary>
        public string Repository { get; set; }

        /// <summary>os/arch[/variant] of the image the container runs.</summary>
        public string Platform { get; set; }

        /// <summary>The registry digest of the image the container runs (its image id mapped through RepoDigests); empty when none.</summary>
        public string RunningDigest { get; set; }

        /// <summary>True when the container was created from repository@digest.</summary>
        public bool Pinned { get; set; }

        /// <summary>The io.digesttools.source-reference label, when present.</summary>
        public string SourceReference { get; set; }

        /// <summary>The io.digesttools.digest label, when present.</summary>
        public string PinnedDigest { get; set; }

        /// <summary>The tag followed: the source reference's, else the configured one; empty when there is none.</summary>
        public string Tag { get; set; }

        /// <summary>What the tag names now, in the same form as RunningDigest (index or platform manifest) where that can be told.</summary>
        public string CurrentDigest { get; set; }

        public DriftStatus Status { get; set; }

        /// <summary>With Status Unknown: the error (also written to the error stream); null otherwise.</summary>
        public ErrorRecord Error { get; set; }

        internal static ImageDrift From(DigestTools.Engine.Drift.ContainerDrift d, ErrorRecord error) => new ImageDrift
        {
            Name = d.Name,
            Id = d.Id,
            State = d.State,
            Engine = d.Engine,
            ConfiguredImage = d.ConfiguredImage,
            Repository = d.Repository,
            Platform = d.Platform,
            RunningDigest = d.RunningDigest,
            Pinned = d.Pinned,
            SourceReference = d.SourceReference,
            PinnedDigest = d.PinnedDigest,
            Tag = d.Tag,
            CurrentDigest = d.CurrentDigest,
            Status = StatusOf(d.Status),
            Error = error,
        };

        /// <summary>The engine's status as the public enum (same names).</summary>
        internal static DriftStatus StatusOf(DigestTools.Engine.Drift.ContainerDriftStatus status)
            => (DriftStatus)System.Enum.Parse(typeof(DriftStatus), status.ToString());

        public override string ToString() => (Name ?? Id) + ": " + Status;
    }
}
