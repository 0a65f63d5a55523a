using System.Collections.Generic;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Fleet;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.References;

namespace DigestTools
{
    /// <summary>New-PinnedContainer -EngineUri a,b: the same replicas on every engine of a list.</summary>
    public sealed partial class NewPinnedContainerCommand
    {
        // The digest resolved once at the registry; then the same replicas on every engine at once, each with its own rollback.
        private void CreateOnEveryEngine(ImageReference reference, ReplicaRequest request)
        {
            EngineFleet fleet = Fleet;
            IReadOnlyList<FleetOutcome<List<Replica>>> outcomes;
            try
            {
                ParsedReference pinned = Run(ct => new FleetPuller(fleet, new RegistryAccess(this, Credential).Options, Log).PinAsync(reference.Parsed, ct));
                WriteVerbose($"{reference} is pinned to {pinned}; creating {Count} container(s) from it on each engine.");
                outcomes = Run(ct => new FleetReplicaCreator(fleet, Log).CreateAsync(pinned, ImagePolicy, request.Template.Platform,
                    CredentialConversion.ToRegistryCredential(Credential), request, ct));
            }
            catch (FailureException e)
            {
                WriteError(ErrorRecords.From(e, reference.ToString()));
                return;
            }
            foreach (FleetOutcome<List<Replica>> outcome in outcomes)
            {
                if (outcome.Failure != null) { WriteError(FleetErrors.For(outcome)); continue; }
                foreach (Replica replica in outcome.Result) WriteObject(PinnedContainer.From(replica));
            }
        }
    }
}
