using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Swarm;

namespace DigestTools.Engine.Drift
{
    /// <summary>
    /// Drift of Swarm services: each service's spec digest, the digests its running tasks actually run (a task
    /// started before an update may still run the old one), and what its tag names now, with the same statuses as
    /// containers. Registry questions go through the shared lookups: once per distinct tag or digest.
    /// </summary>
    public sealed class ServiceDriftCheck
    {
        private readonly EngineClient _engine;
        private readonly DriftRegistryLookups _registry;

        public ServiceDriftCheck(EngineClient engine, DriftRegistryLookups registry)
        {
            _engine = engine;
            _registry = registry;
        }

        /// <summary>The named services (names or ids), or every service of the Swarm when none is named; in that order.</summary>
        /// <exception cref="FailureException">NotSwarmManager, EngineUnreachable: concern every service.</exception>
        public async Task<IReadOnlyList<ServiceDriftResult>> CheckAsync(IReadOnlyList<string> services, CancellationToken cancellationToken)
        {
            await _engine.EnsureSwarmManagerAsync(cancellationToken).ConfigureAwait(false);
            IEnumerable<Task<ServiceDriftResult>> checks;
            if (services == null || services.Count == 0)
            {
                IReadOnlyList<EngineService> listed = await _engine.ListServicesAsync(cancellationToken).ConfigureAwait(false);
                checks = listed.Select(s => CheckServiceAsync(s, s.Id, cancellationToken));
            }
            else
            {
                checks = services.Select(async name =>
                {
                    EngineService service = await _engine.InspectServiceAsync(name, cancellationToken).ConfigureAwait(false);
                    return service == null
                        ? new ServiceDriftResult { Target = name, Failure = new FailureException(ErrorCatalog.ServiceNotFound, $"The Swarm has no service '{name}'.") }
                        : await CheckServiceAsync(service, name, cancellationToken).ConfigureAwait(false);
                });
            }
            return await Task.WhenAll(checks.ToList()).ConfigureAwait(false);
        }

        private async Task<ServiceDriftResult> CheckServiceAsync(EngineService service, string target, CancellationToken cancellationToken)
        {
            IReadOnlyList<EngineServiceTask> tasks = await _engine.ListServiceTasksAsync(service.Id, cancellationToken).ConfigureAwait(false);
            List<EngineServiceTask> running = tasks.Where(t => t.DesiredState == "running" && t.State == "running").ToList();
            service.Labels.TryGetValue(PinLabels.SourceReference, out string source);
            ParsedReference.TryParse(ServiceImagePin.WithoutDigest(service.Image) ?? string.Empty, out ParsedReference image);
            ParsedReference.TryParse(source ?? string.Empty, out ParsedReference followed);
            var drift = new ServiceDrift
            {
                Name = service.Name,
                Id = service.Id,
                Engine = _engine.Endpoint.Address.OriginalString,
                Image = service.Image,
                Repository = image?.Name,
                SpecDigest = ServiceImagePin.DigestOf(service.Image),
                TaskDigests = running.Select(t => ServiceImagePin.DigestOf(t.Image)).Where(d => d != null).Distinct().ToList(),
                RunningTasks = running.Count,
                SourceReference = source,
                Tag = followed?.Tag ?? image?.Tag,
            };
            try
            {
                if (image == null) throw new FailureException(ErrorCatalog.InvalidReference, $"Service {service.Name}: its image '{service.Image}' is not a reference DigestTools can read.");
                await DecideAsync(drift, image, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                drift.Status = ContainerDriftStatus.Unknown;
                drift.Error = e;
            }
            return new ServiceDriftResult { Target = target, Drift = drift };
        }

        private async Task DecideAsync(ServiceDrift drift, ParsedReference image, CancellationToken cancellationToken)
        {
            if (drift.Tag != null)
            {
                ManifestResolution current = await _registry.CurrentAsync(image.Registry, image.Repository, drift.Tag, null, cancellationToken).ConfigureAwait(false);
                drift.CurrentDigest = current.Digest;
                if (drift.SpecDigest == null)
                {
                    // A spec without a digest: each node resolved the tag itself; only its tasks say what runs.
                    drift.Status = drift.TaskDigests.Count > 0 && drift.TaskDigests.All(d => d == current.Digest) ? ContainerDriftStatus.Current : ContainerDriftStatus.TagMoved;
                    return;
                }
                if (drift.SpecDigest == current.Digest) { drift.Status = ContainerDriftStatus.Current; return; }
            }
            else if (drift.SpecDigest == null)
            {
                throw new FailureException(ErrorCatalog.InvalidReference, $"Service {drift.Name}: its image '{drift.Image}' names neither a tag nor a digest.");
            }
            ManifestPresence presence = await _registry.PresenceAsync(image.Registry, image.Repository, drift.SpecDigest, null, cancellationToken).ConfigureAwait(false);
            drift.Status = !presence.Exists ? ContainerDriftStatus.PinMissing : drift.Tag == null ? ContainerDriftStatus.Current : ContainerDriftStatus.TagMoved;
        }
    }
}
