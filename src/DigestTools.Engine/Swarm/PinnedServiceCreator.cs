using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Swarm
{
    /// <summary>
    /// Creates a Swarm service from a resolved pin: image repository:tag@digest, the io.digesttools.* labels
    /// on the service and on every task's container. Nothing is created when the engine is no Swarm manager, and a
    /// service Swarm records with another digest is removed again.
    /// </summary>
    public sealed class PinnedServiceCreator
    {
        private readonly EngineClient _engine;

        public PinnedServiceCreator(EngineClient engine) => _engine = engine;

        /// <summary>Checks the engine first, creates, and returns the service as Swarm recorded it.</summary>
        /// <exception cref="FailureException">NotSwarmManager, ServiceNameInUse, ServiceCreationFailed, PinNotRecorded.</exception>
        public async Task<EngineService> CreateAsync(SwarmServiceSpec spec, ServiceImagePin pin, RegistryAuthConfig auth, CancellationToken cancellationToken)
        {
            await _engine.EnsureSwarmManagerAsync(cancellationToken).ConfigureAwait(false);
            spec.Image = pin.Image;
            spec.Labels = WithPinLabels(spec.Labels, pin);
            spec.ContainerLabels = WithPinLabels(spec.ContainerLabels, pin);
            string id = await _engine.CreateServiceAsync(spec, auth, cancellationToken).ConfigureAwait(false);
            EngineService created = await _engine.InspectServiceAsync(id, cancellationToken).ConfigureAwait(false);
            // The promise of the cmdlet, checked on Swarm's own record rather than assumed.
            if (created == null || ServiceImagePin.DigestOf(created.Image) != pin.Digest)
            {
                // Nothing half-created: a service that would run other bytes than the pin does not stay behind.
                await _engine.RemoveServiceAsync(id, cancellationToken).ConfigureAwait(false);
                throw new FailureException(ErrorCatalog.PinNotRecorded, $"Swarm recorded the image of service {spec.Name ?? id} as '{created?.Image}', not {pin.Image}; the service was removed.");
            }
            return created;
        }

        /// <summary>The given labels plus the three io.digesttools.* labels of this pin (which win).</summary>
        public static IDictionary<string, string> WithPinLabels(IDictionary<string, string> labels, ServiceImagePin pin)
        {
            var result = labels == null ? new Dictionary<string, string>() : new Dictionary<string, string>(labels);
            foreach (KeyValuePair<string, string> kv in PinLabelsOf(pin)) result[kv.Key] = kv.Value;
            return result;
        }

        internal static IDictionary<string, string> PinLabelsOf(ServiceImagePin pin) => new Dictionary<string, string>
        {
            [PinLabels.SourceReference] = pin.SourceReference ?? ServiceImagePin.WithoutDigest(pin.Image),
            [PinLabels.Digest] = pin.Digest,
            [PinLabels.PinnedReference] = pin.PinnedReference,
        };
    }
}
