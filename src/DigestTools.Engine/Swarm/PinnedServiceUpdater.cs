using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;

namespace DigestTools.Engine.Swarm
{
    /// <summary>
    /// Re-pins an existing service: find it, decide which reference to resolve again (the caller's, else the
    /// io.digesttools.source-reference label, else the spec's image without its digest), and when the digest
    /// changed, roll the service onto it through Swarm's rolling update (its update settings apply).
    /// </summary>
    public sealed class PinnedServiceUpdater
    {
        private readonly EngineClient _engine;

        public PinnedServiceUpdater(EngineClient engine) => _engine = engine;

        /// <exception cref="EngineException">NotSwarmManager, ServiceNotFound.</exception>
        public async Task<EngineService> FindAsync(string idOrName, CancellationToken cancellationToken)
        {
            await _engine.EnsureSwarmManagerAsync(cancellationToken).ConfigureAwait(false);
            return await _engine.InspectServiceAsync(idOrName, cancellationToken).ConfigureAwait(false)
                ?? throw new EngineException("ServiceNotFound", "ObjectNotFound", $"The Swarm at {_engine.Endpoint.Address.OriginalString} has no service '{idOrName}'.");
        }

        /// <summary>The reference to resolve again when the caller gives none.</summary>
        public static string SourceReferenceOf(EngineService service)
            => service.Labels.TryGetValue(PinLabels.SourceReference, out string source) && !string.IsNullOrWhiteSpace(source)
                ? source
                : ServiceImagePin.WithoutDigest(service.Image);

        public static ServiceRepinPlan Plan(EngineService service, ServiceImagePin pin) => new ServiceRepinPlan(service, pin);

        /// <summary>Writes the new image and labels at the version the plan read; Swarm then rolls the tasks.</summary>
        /// <exception cref="EngineException">ServiceUpdateFailed (e.g. the spec changed meanwhile), ServiceNotFound.</exception>
        public Task ApplyAsync(ServiceRepinPlan plan, RegistryAuthConfig auth, CancellationToken cancellationToken)
            => _engine.UpdateServiceImageAsync(plan.Service.Id, plan.Pin.Image, PinnedServiceCreator.PinLabelsOf(plan.Pin), auth, cancellationToken);
    }
}
