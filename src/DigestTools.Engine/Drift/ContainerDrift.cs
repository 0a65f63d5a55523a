using System;

namespace DigestTools.Engine.Drift
{
    /// <summary>What one container runs against its pin and against what its tag names now. Plain values.</summary>
    public sealed class ContainerDrift
    {
        public string Name { get; set; }
        public string Id { get; set; }
        public string State { get; set; }

        /// <summary>The engine address the container lives on (a later engine/service dimension keys on it).</summary>
        public string Engine { get; set; }

        /// <summary>Config.Image: what the container was created from, exactly as recorded.</summary>
        public string ConfiguredImage { get; set; }
        public string ImageId { get; set; }

        /// <summary>registry/repository the container's image belongs to.</summary>
        public string Repository { get; set; }

        /// <summary>os/arch[/variant] of the image the container runs (chooses an index's child).</summary>
        public string Platform { get; set; }

        /// <summary>The registry digest of the image the container runs, for its repository; null when it has none.</summary>
        public string RunningDigest { get; set; }

        /// <summary>True when the container was created from repository@digest.</summary>
        public bool Pinned { get; set; }

        /// <summary>From the io.digesttools.source-reference label, when present.</summary>
        public string SourceReference { get; set; }

        /// <summary>From the io.digesttools.digest label, when present.</summary>
        public string PinnedDigest { get; set; }

        /// <summary>The tag followed: the source reference's, else the configured one; null when there is none to follow.</summary>
        public string Tag { get; set; }

        /// <summary>What the tag names now, in the same form as RunningDigest (index or platform manifest) where that can be told.</summary>
        public string CurrentDigest { get; set; }

        public ContainerDriftStatus Status { get; set; }

        /// <summary>Why the status is Unknown (a registry failure with its ErrorId); null otherwise.</summary>
        public Exception Error { get; set; }
    }
}
