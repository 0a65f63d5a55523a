using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;

namespace DigestTools.Engine.Drift
{
    /// <summary>
    /// The drift workflow: for each container, what it runs (image id -> RepoDigests for its repository), what
    /// its pin says (labels, Config.Image), what its tag names now (registry), and a status. Containers are read
    /// from one engine; registry questions are asked once per distinct reference/digest and platform, concurrently.
    /// </summary>
    public sealed class DriftCheck
    {
        private readonly EngineClient _engine;
        private readonly DriftRegistryLookups _registry;
        private readonly ConcurrentDictionary<string, Lazy<Task<EngineImage>>> _images = new ConcurrentDictionary<string, Lazy<Task<EngineImage>>>(StringComparer.Ordinal);

        public DriftCheck(EngineClient engine, DriftRegistryLookups registry)
        {
            _engine = engine;
            _registry = registry;
        }

        /// <summary>
        /// Drift of the named containers (names or ids), or with none named, of every running container (every
        /// container with <paramref name="all"/>). Results keep the input (or listing) order.
        /// </summary>
        /// <exception cref="FailureException">EngineUnreachable: concerns every container.</exception>
        public async Task<IReadOnlyList<DriftResult>> CheckAsync(IReadOnlyList<string> containers, bool all, CancellationToken cancellationToken)
        {
            IEnumerable<Task<DriftResult>> checks;
            if (containers == null || containers.Count == 0)
            {
                IReadOnlyList<EngineContainer> listed = await _engine.ListContainersAsync(all, cancellationToken).ConfigureAwait(false);
                checks = listed.Select(c => CheckListedAsync(c, cancellationToken));
            }
            else
            {
                checks = containers.Select(c => CheckNamedAsync(c, cancellationToken));
            }
            return await Task.WhenAll(checks.ToList()).ConfigureAwait(false);
        }

        private async Task<DriftResult> CheckNamedAsync(string nameOrId, CancellationToken cancellationToken)
        {
            EngineContainer container;
            try
            {
                container = await _engine.InspectContainerAsync(nameOrId, cancellationToken).ConfigureAwait(false);
            }
            catch (FailureException e) when (e.Kind != ErrorCatalog.EngineUnreachable)
            {
                return new DriftResult { Target = nameOrId, Failure = e };
            }
            if (container == null)
                return new DriftResult { Target = nameOrId, Failure = new FailureException(ErrorCatalog.ContainerNotFound, $"The engine has no container '{nameOrId}'.") };
            return await CheckListedAsync(container, cancellationToken).ConfigureAwait(false);
        }

        private async Task<DriftResult> CheckListedAsync(EngineContainer container, CancellationToken cancellationToken)
        {
            EngineImage image;
            try
            {
                image = await ImageAsync(container.ImageId, cancellationToken).ConfigureAwait(false);
            }
            catch (FailureException e) when (e.Kind != ErrorCatalog.EngineUnreachable)
            {
                return new DriftResult { Target = container.Name ?? container.Id, Failure = e };
            }
            ContainerImageIdentity identity = ContainerImageIdentity.Of(container.ConfiguredImage, container.ImageId, container.Labels, image);
            var drift = new ContainerDrift
            {
                Name = container.Name,
                Id = container.Id,
                State = container.State,
                Engine = _engine.Endpoint.Address.OriginalString,
                ConfiguredImage = container.ConfiguredImage,
                ImageId = container.ImageId,
                Repository = identity.Reference?.Name,
                Platform = identity.Platform,
                Pinned = identity.Pinned,
                SourceReference = identity.SourceReference,
                PinnedDigest = identity.PinnedDigest,
                Tag = identity.Tag,
            };
            try
            {
                await DecideAsync(drift, identity, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // A registry failure with its ErrorId, or a transport failure: the registry could not be asked.
                drift.Status = ContainerDriftStatus.Unknown;
                drift.Error = e;
            }
            return new DriftResult { Target = container.Id, Drift = drift };
        }

        private async Task DecideAsync(ContainerDrift drift, ContainerImageIdentity identity, CancellationToken cancellationToken)
        {
            if (identity.Digests.Count == 0)
            {
                drift.Status = ContainerDriftStatus.LocalOnly;
                return;
            }
            ParsedReference repository = identity.Reference;
            drift.RunningDigest = identity.RunningDigest();   // refined below once the registry says what the tag names
            ManifestResolution current = null;
            if (identity.Tag != null)
            {
                current = await _registry.CurrentAsync(repository.Registry, repository.Repository, identity.Tag, identity.Platform, cancellationToken).ConfigureAwait(false);
                // The engine may have recorded the index digest or the platform manifest's: either names what runs.
                string same = identity.Digests.FirstOrDefault(d => d == current.Digest || d == current.PlatformDigest);
                if (same != null && (identity.NamedDigest == null || identity.NamedDigest == same))
                {
                    drift.RunningDigest = same;
                    drift.CurrentDigest = same;
                    drift.Status = await ChildStillResolvesAsync(repository, current, identity.Platform, cancellationToken).ConfigureAwait(false)
                        ? ContainerDriftStatus.Current : ContainerDriftStatus.PinMissing;
                    return;
                }
            }
            // None of the image's digests is the tag's: of several, the first the registry has runs (each is asked once per call).
            drift.RunningDigest = await identity.RunningDigestAsync(async digest =>
                    (await _registry.PresenceAsync(repository.Registry, repository.Repository, digest, identity.Platform, cancellationToken).ConfigureAwait(false)).Exists)
                .ConfigureAwait(false) ?? identity.RunningDigest();
            ManifestPresence presence = await _registry.PresenceAsync(repository.Registry, repository.Repository, drift.RunningDigest, identity.Platform, cancellationToken).ConfigureAwait(false);
            if (current == null)
            {
                drift.Status = presence.Exists ? ContainerDriftStatus.Current : ContainerDriftStatus.PinMissing;
                return;
            }
            if (!presence.Exists)
            {
                drift.CurrentDigest = current.Digest;
                drift.Status = ContainerDriftStatus.PinMissing;
                return;
            }
            // Like with like: an index against an index, a platform manifest against the tag's child for this platform.
            drift.CurrentDigest = ManifestMediaTypes.IsIndex(presence.MediaType) ? current.Digest : current.PlatformDigest;
            drift.Status = presence.PlatformDigest == current.PlatformDigest ? ContainerDriftStatus.Current : ContainerDriftStatus.TagMoved;
        }

        // The tag's resolution proved its manifest exists; for an index the child for this container's platform
        // (what runs, whichever of the two digests the engine recorded) must still resolve too: one more request
        // per distinct index and platform, none for a single manifest.
        private async Task<bool> ChildStillResolvesAsync(ParsedReference repository, ManifestResolution current, string platform, CancellationToken cancellationToken)
        {
            if (current.PlatformDigest == current.Digest) return true;
            ManifestPresence child = await _registry.PresenceAsync(repository.Registry, repository.Repository, current.PlatformDigest, platform, cancellationToken).ConfigureAwait(false);
            return child.Exists;
        }

        private Task<EngineImage> ImageAsync(string imageId, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(imageId)) return Task.FromResult<EngineImage>(null);
            return _images.GetOrAdd(imageId, id => new Lazy<Task<EngineImage>>(() => _engine.InspectImageAsync(id, cancellationToken))).Value;
        }
    }
}
