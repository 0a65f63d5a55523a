using System;
using System.Linq;
using System.Management.Automation;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Swarm;

namespace DigestTools
{
    /// <summary>
    /// New-PinnedService: resolves the reference ONCE at the registry (PinnedServiceCreator's pin) and creates a Swarm
    /// service from repository:tag@sha256:..., so every node runs the same bytes; -Wait follows its tasks
    /// (ServiceRolloutWatcher). Behaviour and errors are described in src/help/New-PinnedService.md.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "PinnedService", SupportsShouldProcess = true, DefaultParameterSetName = ReplicatedSet)]
    [OutputType(typeof(PinnedService))]
    public sealed partial class NewPinnedServiceCommand : PinnedWorkloadCmdlet
    {
        private const string ReplicatedSet = "Replicated";
        private const string GlobalSet = "Global";

        /// <summary>The image: name[:tag][@digest], an ImageReference, or Get-ImageDigest output.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNull]
        public object Reference { get; set; }

        /// <summary>A reference already resolved (Get-ImageDigest output); wins over Reference. Its digest is checked at the registry and kept.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string PinnedReference { get; set; }

        /// <summary>Replicated mode: the number of tasks (default 1).</summary>
        [Parameter(ParameterSetName = ReplicatedSet)]
        [ValidateRange(0, 10000)]
        public int Replicas { get; set; } = 1;

        /// <summary>Global mode: one task on every node.</summary>
        [Parameter(Mandatory = true, ParameterSetName = GlobalSet)]
        public SwitchParameter Global { get; set; }

        /// <summary>Swarm-scoped networks (overlay) to attach, by name or id.</summary>
        [Parameter]
        public string[] Network { get; set; }

        /// <summary>Placement constraints: "node.role==manager", "node.labels.zone==a".</summary>
        [Parameter]
        public string[] Constraint { get; set; }

        /// <summary>When Swarm restarts a task: none, on-failure, any (Swarm's default).</summary>
        [Parameter]
        [ValidateSet("none", "on-failure", "any")]
        public string RestartCondition { get; set; }

        /// <summary>At most this many restarts per task (default: unlimited).</summary>
        [Parameter]
        public ulong? RestartMaxAttempts { get; set; }

        /// <summary>Delay between restarts.</summary>
        [Parameter]
        public TimeSpan? RestartDelay { get; set; }

        /// <summary>Tasks updated at the same time (Swarm's default 1).</summary>
        [Parameter]
        public ulong? UpdateParallelism { get; set; }

        /// <summary>Delay between updating two batches of tasks.</summary>
        [Parameter]
        public TimeSpan? UpdateDelay { get; set; }

        /// <summary>What Swarm does when updated tasks fail: pause (Swarm's default), continue, rollback.</summary>
        [Parameter]
        [ValidateSet("pause", "continue", "rollback")]
        public string UpdateFailureAction { get; set; }

        /// <summary>stop-first (Swarm's default) or start-first.</summary>
        [Parameter]
        [ValidateSet("stop-first", "start-first")]
        public string UpdateOrder { get; set; }

        /// <summary>How long Swarm watches each updated task for a failure.</summary>
        [Parameter]
        public TimeSpan? UpdateMonitor { get; set; }

        /// <summary>The longest -Wait waits, in seconds. Hides EngineCmdlet's: each request to the manager keeps its 30 s bound.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public new int TimeoutSec { get; set; } = 300;

        // Parameters parsed once here, so bad values stop the cmdlet before anything is created; then per input
        // (the creator writes the image and labels into its spec).
        protected override void BeginProcessing()
        {
            try
            {
                Spec();
            }
            catch (FailureException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, null));
            }
        }

        protected override void ProcessRecord()
        {
            ImageReference reference = ReferenceInput.Read(PinnedReference, Reference, out ErrorRecord invalid);
            if (reference == null)
            {
                WriteError(invalid);
                return;
            }
            string mode = Global.IsPresent ? "global" : $"{Replicas} replica(s)";
            if (!ShouldProcess($"{Name ?? "(a name Swarm chooses)"} from {reference} ({mode})", "Create pinned service")) return;

            try
            {
                var registry = new RegistryAccess(this, Credential);
                // The label records the tag (what Update-PinnedService resolves again), even when a resolved digest came along.
                string source = reference.Tag != null && reference.Digest != null ? reference.Name + ":" + reference.Tag : reference.ToString();
                ServiceImagePin pin = Run(ct => registry.Resolver.ResolveAsync(reference.Parsed, source, ct));
                WriteVerbose($"{reference} is pinned to {pin.Image}; creating the service from it.");
                SwarmServiceSpec spec = Spec();
                var creator = new PinnedServiceCreator(Engine);   // connects here, on the pipeline thread
                RegistryAuthConfig auth = registry.AuthFor(reference.Registry);
                EngineService created = Run(ct => creator.CreateAsync(spec, pin, auth, ct));
                ulong? running = null;
                if (Wait.IsPresent)
                {
                    ServiceRolloutWatcher watcher = ServiceProgressWriter.Watcher(this, "Waiting for the tasks of service", TimeoutSec);
                    running = Run(ct => watcher.WaitForTasksAsync(created, pin.Digest, ct));
                }
                WriteObject(PinnedService.From(created, pin, "Created", null, running, Engine));
            }
            catch (FailureException e)
            {
                WriteFailure(e, reference.ToString());
            }
        }
    }
}
