using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Workflow;

namespace DigestTools.Engine.Fleet
{
    /// <summary>
    /// The fleet pre-pull: a tag is resolved ONCE at the registry, then every engine pulls that digest at the
    /// same time (each pull proven by the engine's RepoDigests), so a tag moving meanwhile cannot split the fleet.
    /// </summary>
    public sealed class FleetPuller
    {
        private readonly EngineFleet _fleet;
        private readonly RegistryClientOptions _registry;
        private readonly IWorkflowLog _log;

        public FleetPuller(EngineFleet fleet, RegistryClientOptions registry, IWorkflowLog log)
        {
            _fleet = fleet;
            _registry = registry;
            _log = log;
        }

        /// <summary>repository:tag@digest for a tag (resolved now, the whole image: an index stays an index), the reference itself when it has a digest.</summary>
        /// <exception cref="FailureException">The registry's errors (ManifestUnknown, RegistryUnreachable, ...).</exception>
        public async Task<ParsedReference> PinAsync(ParsedReference reference, CancellationToken cancellationToken)
        {
            if (reference.Digest != null) return reference;
            var query = new ManifestQuery { Registry = reference.Registry, Repository = reference.Repository, Tag = reference.TagOrLatest };
            using (var client = new RegistryClient(_registry))
            {
                ManifestResolution resolution = await client.ResolveAsync(query, cancellationToken).ConfigureAwait(false);
                _log.Verbose($"{reference.Name}:{reference.TagOrLatest} names {resolution.Digest}: every engine pulls that digest.");
                return ParsedReference.Parse(reference.Name + ":" + reference.TagOrLatest).WithDigest(resolution.Digest);
            }
        }

        /// <summary>Pulls the pinned reference on every connected engine at once; one outcome per engine.</summary>
        public Task<IReadOnlyList<FleetOutcome<PullResult>>> PullAsync(ParsedReference pinned, string platform, RegistryCredential credential, CancellationToken cancellationToken)
            => _fleet.OnEachAsync(engine => new ImagePuller(engine.Client, new EngineLabelledLog(_log, engine.Address)).PullAsync(pinned, platform, credential, cancellationToken));
    }
}
