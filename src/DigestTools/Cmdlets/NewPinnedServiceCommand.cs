using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Swarm;

namespace DigestTools
{
    /// <summary>
    /// <para type="synopsis">Creates a Docker Swarm service pinned to an image digest: every node runs the same bytes.</para>
    /// <para type="description">
    /// The reference is resolved ONCE at the registry (a tag to the digest it names now, the whole image: a
    /// multi-platform index stays an index) and the service is created from repository:tag@sha256:..., the form
    /// the docker CLI writes. Without that, every node would resolve the tag on its own and a moved tag would
    /// split the fleet. The service and each task's container carry the io.digesttools.* labels
    /// (source-reference, digest, pinned-reference); Update-PinnedService re-resolves the source reference later.
    /// -EngineUri must reach a Swarm manager: Podman, a standalone engine or a worker give NotSwarmManager.
    /// -Wait waits (at most -TimeoutSec) until every desired task runs the digest, with progress; tasks that
    /// fail are reported (ServiceTasksFailed), the service is kept. Ctrl+C stops the waiting, not the service.
    /// </para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "PinnedService", SupportsShouldProcess = true, DefaultParameterSetName = ReplicatedSet)]
    [OutputType(typeof(PinnedService))]
    public sealed class NewPinnedServiceCommand : ServiceCmdlet
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

        /// <summary>The service name; Swarm chooses one when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        /// <summary>Replicated mode: the number of tasks (default 1).</summary>
        [Parameter(ParameterSetName = ReplicatedSet)]
        [ValidateRange(0, 10000)]
        public int Replicas { get; set; } = 1;

        /// <summary>Global mode: one task on every node.</summary>
        [Parameter(Mandatory = true, ParameterSetName = GlobalSet)]
        public SwitchParameter Global { get; set; }

        /// <summary>Replaces the image's CMD, like the words after the image in `docker service create`.</summary>
        [Parameter(Position = 1)]
        public string[] Command { get; set; }

        /// <summary>Replaces the image's ENTRYPOINT.</summary>
        [Parameter]
        public string[] Entrypoint { get; set; }

        /// <summary>Environment variables: @{ NAME = 'value' }.</summary>
        [Parameter]
        public Hashtable Environment { get; set; }

        /// <summary>Service labels: @{ 'com.example.tier' = 'web' }. The io.digesttools.* labels are always set.</summary>
        [Parameter]
        public Hashtable Label { get; set; }

        /// <summary>Mounts, docker --mount style: "type=volume,source=data,target=/data".</summary>
        [Parameter]
        public string[] Mount { get; set; }

        /// <summary>Swarm-scoped networks (overlay) to attach, by name or id.</summary>
        [Parameter]
        public string[] Network { get; set; }

        /// <summary>Published ports through the routing mesh: "[publishedPort:]targetPort[/protocol]".</summary>
        [Parameter]
        public string[] Publish { get; set; }

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

        [Parameter]
        public string User { get; set; }

        [Parameter]
        public string WorkingDirectory { get; set; }

        private SwarmServiceSpec _template;

        protected override void BeginProcessing()
        {
            try
            {
                _template = BuildTemplate();
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
                SwarmServiceSpec spec = SpecFromTemplate();
                var creator = new PinnedServiceCreator(Engine);   // connects here, on the pipeline thread
                RegistryAuthConfig auth = registry.AuthFor(reference.Registry);
                EngineService created = Run(ct => creator.CreateAsync(spec, pin, auth, ct));
                ulong? running = null;
                if (Wait.IsPresent)
                {
                    ServiceRolloutWatcher watcher = Watcher("Waiting for the tasks of service");
                    running = Run(ct => watcher.WaitForTasksAsync(created, pin.Digest, ct));
                }
                WriteObject(PinnedService.From(created, pin, "Created", null, running, Engine));
            }
            catch (FailureException e)
            {
                WriteFailure(e, reference.ToString());
            }
        }

        // A fresh spec per input: the creator writes the image and labels into it.
        private SwarmServiceSpec SpecFromTemplate() => new SwarmServiceSpec
        {
            Name = _template.Name,
            Labels = new Dictionary<string, string>(_template.Labels),
            ContainerLabels = new Dictionary<string, string>(),
            Command = _template.Command,
            Entrypoint = _template.Entrypoint,
            Environment = _template.Environment,
            Mounts = _template.Mounts,
            Networks = _template.Networks,
            Ports = _template.Ports,
            Constraints = _template.Constraints,
            Global = _template.Global,
            Replicas = _template.Replicas,
            RestartCondition = _template.RestartCondition,
            RestartMaxAttempts = _template.RestartMaxAttempts,
            RestartDelay = _template.RestartDelay,
            UpdateParallelism = _template.UpdateParallelism,
            UpdateDelay = _template.UpdateDelay,
            UpdateFailureAction = _template.UpdateFailureAction,
            UpdateOrder = _template.UpdateOrder,
            UpdateMonitor = _template.UpdateMonitor,
            User = _template.User,
            WorkingDirectory = _template.WorkingDirectory,
        };

        // Parameters parsed once: bad values stop the cmdlet before anything is created.
        private SwarmServiceSpec BuildTemplate() => new SwarmServiceSpec
        {
            Name = Name,
            Labels = HashtableInput.ToDictionary(Label),
            Command = Command,
            Entrypoint = Entrypoint,
            Environment = HashtableInput.ToDictionary(Environment),
            Mounts = (Mount ?? new string[0]).Select(MountSpec.Parse).ToList(),
            Networks = (Network ?? new string[0]).Where(n => !string.IsNullOrWhiteSpace(n)).ToList(),
            Ports = (Publish ?? new string[0]).Select(ServicePort).ToList(),
            Constraints = (Constraint ?? new string[0]).Where(c => !string.IsNullOrWhiteSpace(c)).ToList(),
            Global = Global.IsPresent,
            Replicas = (ulong)Replicas,
            RestartCondition = RestartCondition,
            RestartMaxAttempts = RestartMaxAttempts,
            RestartDelay = RestartDelay,
            UpdateParallelism = UpdateParallelism,
            UpdateDelay = UpdateDelay,
            UpdateFailureAction = UpdateFailureAction,
            UpdateOrder = UpdateOrder,
            UpdateMonitor = UpdateMonitor,
            User = string.IsNullOrWhiteSpace(User) ? null : User,
            WorkingDirectory = string.IsNullOrWhiteSpace(WorkingDirectory) ? null : WorkingDirectory,
        };

        // The routing mesh publishes on every node: a host address has no meaning for a service.
        private static PortSpec ServicePort(string text)
        {
            PortSpec port = PortSpec.Parse(text);
            if (!string.IsNullOrEmpty(port.HostIp))
                throw new FailureException(ErrorCatalog.InvalidPublishSpec,
                    $"The port '{text}' cannot be published by a service: Swarm publishes on every node, so no address may be given. Use [publishedPort:]targetPort[/protocol].");
            return port;
        }
    }
}
