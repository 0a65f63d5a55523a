using System;
using System.Management.Automation;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Swarm;

namespace DigestTools
{
    /// <summary>
    /// <para type="synopsis">Re-pins a Swarm service: resolves its tag again and rolls the service onto the new digest only when it moved.</para>
    /// <para type="description">
    /// The reference resolved is -Reference when given, else the service's io.digesttools.source-reference label,
    /// else its image without the digest (a service the docker CLI created). It is resolved ONCE at the registry.
    /// An unchanged digest means no update at all (Status Unchanged, said in verbose text). A changed digest is
    /// written into the service spec as repository:tag@sha256:... with the io.digesttools.* labels, and Swarm rolls
    /// the tasks with the service's own update settings (parallelism, delay, failure action, order).
    /// -WhatIf shows the old and the new digest and changes nothing. -Wait follows the rollout to its end (at most
    /// -TimeoutSec, with progress): ServiceRolledBack when Swarm rolled back (failure action rollback),
    /// ServiceUpdatePaused when it paused (Swarm's default failure action), each with the failed tasks' errors.
    /// Ctrl+C stops the waiting; Swarm's rollout goes on.
    /// </para>
    /// </summary>
    [Cmdlet(VerbsData.Update, "PinnedService", SupportsShouldProcess = true)]
    [OutputType(typeof(PinnedService))]
    public sealed class UpdatePinnedServiceCommand : EngineCmdlet
    {
        /// <summary>The service's name or id; New-PinnedService output binds by property name.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        /// <summary>The reference to pin now (e.g. a new tag); default: the one the service was pinned from.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Reference { get; set; }

        /// <summary>Registry credential: resolves the tag, and Swarm hands it to every node that pulls.</summary>
        [Parameter]
        [Credential]
        public PSCredential Credential { get; set; }

        /// <summary>Follow the rollout to its end.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>The longest -Wait waits, in seconds. Hides EngineCmdlet's: each request to the manager keeps its 30 s bound.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public new int TimeoutSec { get; set; } = 300;

        protected override void ProcessRecord()
        {
            try
            {
                var updater = new PinnedServiceUpdater(Engine);   // connects here, on the pipeline thread
                var registry = new RegistryAccess(this, Credential);
                EngineService service = Run(ct => updater.FindAsync(Name, ct));
                ServiceRepinPlan plan = Run(ct => updater.PlanAsync(service, Reference, registry.Resolver, ct));
                ServiceImagePin pin = plan.Pin;
                if (!plan.Changes)
                {
                    WriteVerbose($"Service {service.Name}: {pin.SourceReference} still names {pin.Digest}; no update.");
                    WriteObject(PinnedService.From(service, pin, "Unchanged", plan.OldDigest, null, Engine));
                    return;
                }
                if (!ShouldProcess($"service {service.Name}: {plan.OldDigest ?? plan.OldImage} -> {pin.Digest} ({pin.SourceReference})", "Update pinned service")) return;

                RegistryAuthConfig auth = registry.AuthFor(pin.Registry);
                Run(async ct => { await updater.ApplyAsync(plan, auth, ct).ConfigureAwait(false); return true; });
                WriteVerbose($"Service {service.Name} now names {pin.Image}; Swarm rolls its tasks.");
                ulong? running = null;
                if (Wait.IsPresent)
                {
                    ServiceRolloutWatcher watcher = ServiceProgressWriter.Watcher(this, "Rolling service", TimeoutSec);
                    running = Run(ct => watcher.WaitForUpdateAsync(service, pin.Digest, ct));
                }
                WriteObject(PinnedService.From(service, pin, "Updated", plan.OldDigest, running, Engine));
            }
            catch (FailureException e)
            {
                WriteFailure(e, Name);
            }
        }
    }
}
