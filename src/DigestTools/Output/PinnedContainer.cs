namespace DigestTools
{
    /// <summary>Output of New-PinnedContainer: one container, created from repository@digest.</summary>
    public sealed class PinnedContainer
    {
        public string Id { get; set; }
        public string Name { get; set; }

        /// <summary>The image the container is configured with: always the pinned reference repository@sha256:...</summary>
        public string Image { get; set; }

        public string Digest { get; set; }

        /// <summary>The reference the caller gave (possibly a tag), as recorded in the io.digesttools.source-reference label.</summary>
        public string SourceReference { get; set; }

        /// <summary>"created", "running", "exited", or "removed" after -Remove.</summary>
        public string State { get; set; }

        /// <summary>Exit code after -Wait; null when the container was not waited for.</summary>
        public long? ExitCode { get; set; }

        /// <summary>stdout and stderr after -Logs; null otherwise.</summary>
        public string Logs { get; set; }

        /// <summary>1-based replica number within the call (with -Count).</summary>
        public int Replica { get; set; }

        /// <summary>The engine address used.</summary>
        public string Engine { get; set; }

        internal static PinnedContainer From(DigestTools.Engine.Pinning.Replica replica) => new PinnedContainer
        {
            Id = replica.Id,
            Name = replica.Name,
            Image = replica.Image,
            Digest = replica.Digest,
            SourceReference = replica.SourceReference,
            State = replica.State,
            ExitCode = replica.ExitCode,
            Logs = replica.Logs,
            Replica = replica.Number,
            Engine = replica.Engine,
        };

        public override string ToString() => Name ?? Id;
    }
}
