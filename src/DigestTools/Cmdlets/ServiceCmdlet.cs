using System;
using System.Management.Automation;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Swarm;

namespace DigestTools
{
    /// <summary>
    /// Base of the Swarm service cmdlets: one Swarm manager (-EngineUri), the registry credential Swarm hands to
    /// every node, -Wait bounded by -TimeoutSec, and the one way their failures become records.
    /// </summary>
    public abstract class ServiceCmdlet : EngineCmdlet
    {
        /// <summary>Registry credential: resolves the tag, and Swarm hands it to every node that pulls.</summary>
        [Parameter]
        [Credential]
        public PSCredential Credential { get; set; }

        /// <summary>Wait until the tasks run the pinned digest (New-PinnedService) or the rollout ends (Update-PinnedService).</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>The longest -Wait waits, in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = 300;

        /// <summary>Follows the service with progress under <paramref name="activity"/>; Ctrl+C stops the watching only.</summary>
        internal ServiceRolloutWatcher Watcher(string activity)
            => new ServiceRolloutWatcher(Engine, TimeSpan.FromSeconds(TimeoutSec), new ServiceProgressWriter(Pump, activity).Report);

        /// <summary>A failure for one input is an error and the pipeline goes on; an unreachable engine stops the command.</summary>
        internal void WriteFailure(FailureException e, object target)
        {
            if (e.Kind == ErrorCatalog.EngineUnreachable) ThrowTerminatingError(ErrorRecords.From(e, Engine.Endpoint.Address.OriginalString));
            WriteError(ErrorRecords.From(e, target));
        }
    }
}
