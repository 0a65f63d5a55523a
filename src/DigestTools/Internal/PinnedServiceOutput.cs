using DigestTools.Engine.Docker;
using DigestTools.Engine.Swarm;

namespace DigestTools
{
    /// <summary>Builds the PinnedService output of both service cmdlets from what Swarm recorded.</summary>
    internal static class PinnedServiceOutput
    {
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
