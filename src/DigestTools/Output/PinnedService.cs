using DigestTools.Engine.Docker;
using DigestTools.Engine.Swarm;

namespace DigestTools
{
    /// <summary>Output of New-PinnedService and Update-PinnedService: one Swarm service pinned to a digest.</summary>
    public sealed class PinnedService
    {
        public string Id { get; set; }
        public string Name { get; set; }

        /// <summary>The spec's image: repository:tag@sha256:..., the form the docker CLI writes.</summary>
        public string Image { get; set; }

        /// <summary>repository@digest: binds by property name to Invoke-ImagePull (a fleet pre-pull).</summary>
        public string PinnedReference { get; set; }

        public string Digest { get; set; }

        /// <summary>Update-PinnedService: the digest the service ran before this call (equal to Digest when Unchanged).</summary>
        public string PreviousDigest { get; set; }

        /// <summary>The reference resolved (io.digesttools.source-reference), e.g. registry/app:1.2.</summary>
        public string SourceReference { get; set; }

        /// <summary>"replicated" or "global".</summary>
        public string Mode { get; set; }

        /// <summary>Desired replicas (replicated mode); null for global services.</summary>
        public ulong? Replicas { get; set; }

        /// <summary>Tasks running the pinned digest after -Wait; null when not waited for.</summary>
        public ulong? RunningTasks { get; set; }

        /// <summary>Created, Updated (Swarm rolls the tasks), Unchanged (the digest did not move).</summary>
        public string Status { get; set; }

        /// <summary>The engine (Swarm manager) address used.</summary>
        public string Engine { get; set; }

        public override string ToString() => Name ?? Id;

        internal static PinnedService From(EngineService service, ServiceImagePin pin, string status, string previousDigest, ulong? running, EngineClient engine)
            => new PinnedService
            {
                Id = service.Id,
                Name = service.Name,
                Image = pin.Image,
                PinnedReference = pin.PinnedReference,
                Digest = pin.Digest,
                PreviousDigest = previousDigest,
                SourceReference = pin.SourceReference,
                Mode = service.Mode,
                Replicas = service.Replicas,
                RunningTasks = running,
                Status = status,
                Engine = engine.Endpoint.Address.OriginalString,
            };
    }
}
