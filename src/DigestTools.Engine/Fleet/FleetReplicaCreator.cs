using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Workflow;

namespace DigestTools.Engine.Fleet
{
    /// <summary>
    /// The same pinned replicas on every engine of a fleet, at once: each engine makes sure it has the one
    /// digest (its pull policy applies) and creates the replicas from it, with its own rollback on failure.
    /// </summary>
    public sealed class FleetReplicaCreator
    {
        private readonly EngineFleet _fleet;
        private readonly IWorkflowLog _log;

        public FleetReplicaCreator(EngineFleet fleet, IWorkflowLog log)
        {
            _fleet = fleet;
            _log = log;
        }

        /// <param name="pinned">repository[:tag]@digest, resolved once for every engine (FleetPuller.PinAsync).</param>
        /// <param name="request">Source, names, template and start/wait flags; Pinned is set per engine.</param>
        public Task<IReadOnlyList<FleetOutcome<List<Replica>>>> CreateAsync(ParsedReference pinned, ImagePullPolicy policy, string platform,
            RegistryCredential credential, ReplicaRequest request, CancellationToken cancellationToken)
            => _fleet.OnEachAsync(async engine =>
            {
                var log = new EngineLabelledLog(_log, engine.Address);
                ParsedReference local = await new PinnedImageResolver(engine.Client, log)
                    .ResolveAsync(pinned, policy, platform, credential, cancellationToken).ConfigureAwait(false);
                var own = new ReplicaRequest
                {
                    Source = request.Source, Pinned = local, Names = request.Names, Template = request.Template,
                    Start = request.Start, Wait = request.Wait, Logs = request.Logs, Remove = request.Remove,
                };
                return await new ReplicaCreator(engine.Client).CreateAsync(own, cancellationToken).ConfigureAwait(false);
            });
    }
}
