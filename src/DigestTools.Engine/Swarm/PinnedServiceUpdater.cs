using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.References;

namespace DigestTools.Engine.Swarm
{
    /// <summary>
    /// Re-pins an existing service: find it, resolve again the reference it came from (the caller's, else the
    /// io.digesttools.source-reference label, else the spec's image without its digest), and when the digest
    /// changed, roll the service onto it through Swarm's rolling update (its own update settings apply).
    /// </summary>
    public sealed class PinnedServiceUpdater
    {
        private readonly EngineClient _engine;

        public PinnedServiceUpdater(EngineClient engine) => _engine = engine;

        /// <exception cref="FailureException">NotSwarmManager, ServiceNotFound.</exception>
        public async Task<EngineService> FindAsync(string idOrName, CancellationToken cancellationToken)
        {
            await _engine.EnsureSwarmManagerAsync(cancellationToken).ConfigureAwait(false);
            return await _engine.InspectServiceAsync(idOrName, cancellationToken).ConfigureAwait(false)
                ?? throw new FailureException(ErrorCatalog.ServiceNotFound, $"The Swarm at {_engine.Endpoint.Address.OriginalString} has no service '{idOrName}'.");
        }

        /// <summary>The reference to resolve again when the caller gives none.</summary>
        public static string SourceReferenceOf(EngineService service)
            => service.Labels.TryGetValue(PinLabels.SourceReference, out string source) && !string.IsNullOrWhiteSpace(source)
                ? source
                : ServiceImagePin.WithoutDigest(service.Image);

        /// <summary>Resolves the reference now and compares with what the service runs; changes nothing.</summary>
        /// <param name="reference">The caller's reference, or null for the one the service came from.</param>
        /// <exception cref="FailureException">InvalidReference, and the registry's errors.</exception>
        public async Task<ServiceRepinPlan> PlanAsync(EngineService service, string reference, ServiceImageResolver resolver, CancellationToken cancellationToken)
        {
            string text = reference ?? SourceReferenceOf(service);
            if (!ParsedReference.TryParse(text, out ParsedReference parsed, out string problem))
                throw new FailureException(ErrorCatalog.InvalidReference, $"Service {service.Name}: {problem}");
            // The tag is what moves: a digest written next to it would pin the old bytes again.
            if (parsed.Tag != null && parsed.Digest != null) parsed = ParsedReference.Parse(parsed.Name + ":" + parsed.Tag);
            ServiceImagePin pin = await resolver.ResolveAsync(parsed, null, cancellationToken).ConfigureAwait(false);
            return new ServiceRepinPlan(service, pin);
        }

        /// <summary>Writes the new image and labels at the version the plan read; Swarm then rolls the tasks.</summary>
        /// <exception cref="FailureException">ServiceUpdateFailed (e.g. the spec changed meanwhile), ServiceNotFound.</exception>
        public Task ApplyAsync(ServiceRepinPlan plan, RegistryAuthConfig auth, CancellationToken cancellationToken)
            => _engine.UpdateServiceImageAsync(plan.Service.Id, plan.Pin.Image, PinnedServiceCreator.PinLabelsOf(plan.Pin), auth, cancellationToken);
    }
}
