using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Fleet;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Pinning;

namespace DigestTools
{
    /// <summary>
    /// New-PinnedContainer: resolves the reference ONCE to repository@digest (PinnedImageResolver) and creates
    /// every replica from it (ReplicaCreator, which rolls back a failed call). Behaviour and errors are
    /// described in src/help/New-PinnedContainer.md.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "PinnedContainer", SupportsShouldProcess = true, DefaultParameterSetName = ReferenceSet)]
    [OutputType(typeof(PinnedContainer))]
    public sealed partial class NewPinnedContainerCommand : EngineCmdlet
    {
        internal const string ReferenceSet = "Reference";
        internal const string FromContainerSet = "FromContainer";

        /// <summary>The image: name[:tag][@digest], an ImageReference, or Get-ImageDigest / Invoke-ImagePull output.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ReferenceSet)]
        [ValidateNotNull]
        [ArgumentCompleter(typeof(LocalImageCompleter))]
        public object Reference { get; set; }

        /// <summary>repository@digest from a previous resolution; wins over Reference.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ReferenceSet)]
        public string PinnedReference { get; set; }

        /// <summary>A container (name, id, or an object with Id/Name) whose image digest and configuration the replicas copy.</summary>
        [Parameter(Mandatory = true, ParameterSetName = FromContainerSet)]
        [ValidateNotNull]
        public object FromContainer { get; set; }

        /// <summary>Container name; with -Count N, replicas are Name-1 ... Name-N.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        /// <summary>Number of replicas, all from the same digest.</summary>
        [Parameter]
        [ValidateRange(1, 1000)]
        public int Count { get; set; } = 1;

        /// <summary>Command (replaces the image's CMD).</summary>
        [Parameter(Position = 1)]
        public string[] Command { get; set; }

        /// <summary>Entrypoint (replaces the image's ENTRYPOINT).</summary>
        [Parameter]
        public string[] Entrypoint { get; set; }

        /// <summary>Environment variables: @{ NAME = 'value' }.</summary>
        [Parameter]
        public Hashtable Environment { get; set; }

        /// <summary>Extra labels: @{ 'com.example.role' = 'replica' }. The io.digesttools.* labels are always set.</summary>
        [Parameter]
        public Hashtable Label { get; set; }

        /// <summary>Bind mounts or named volumes, docker -v style: "source:target[:ro]".</summary>
        [Parameter]
        public string[] Volume { get; set; }

        /// <summary>Mounts, docker --mount style: "type=bind,source=/x,target=/y,readonly".</summary>
        [Parameter]
        public string[] Mount { get; set; }

        /// <summary>Network: none, host, bridge or the name of an existing network.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(NetworkCompleter))]
        public string Network { get; set; }

        /// <summary>Published ports, docker -p style: "[ip:][hostPort:]containerPort[/protocol]".</summary>
        [Parameter]
        public string[] Publish { get; set; }

        /// <summary>no, always, unless-stopped, on-failure[:max-retries].</summary>
        [Parameter]
        [ArgumentCompleter(typeof(RestartPolicyCompleter))]
        public string RestartPolicy { get; set; }

        [Parameter]
        public string User { get; set; }

        [Parameter]
        public string WorkingDirectory { get; set; }

        /// <summary>os/arch[/variant] for the pull and the container.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PlatformCompleter))]
        public string Platform { get; set; }

        /// <summary>Missing (default): pull when absent. Always: pull first. Never: the engine must have the image.</summary>
        [Parameter]
        public PullPolicy PullPolicy { get; set; } = PullPolicy.Missing;

        /// <summary>Registry credential for a pull, sent as X-Registry-Auth.</summary>
        [Parameter]
        [Credential]
        public PSCredential Credential { get; set; }

        [Parameter]
        public SwitchParameter Start { get; set; }

        [Parameter]
        public SwitchParameter Wait { get; set; }

        [Parameter]
        public SwitchParameter Logs { get; set; }

        [Parameter]
        public SwitchParameter Remove { get; set; }

        private ContainerSpec _template;

        protected override void BeginProcessing()
        {
            try
            {
                _template = ContainerTemplate.From(this);
            }
            catch (FailureException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, null));
            }
        }

        internal override bool AcceptsManyEngines => true;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == FromContainerSet) { ProcessFromContainer(); return; }
            ImageReference reference = ReferenceInput.Read(PinnedReference, Reference, out ErrorRecord invalid);
            if (reference == null || !PlatformInput.TryRead(Platform, out string platform, out invalid))
            {
                WriteError(invalid);
                return;
            }
            string[] names = ReplicaNames.For(Name, Count);
            string target = reference + (Count > 1 ? $" ({Count} replicas{(Name != null ? ": " + string.Join(", ", names) : "")})" : Name != null ? " (" + Name + ")" : "");
            if (ManyEngines)
            {
                if (ShouldProcess($"{target} on each of {EngineUri.Length} engines", "Create pinned container")) CreateOnEveryEngine(reference, platform, names);
                return;
            }
            if (!ShouldProcess(target, "Create pinned container")) return;

            try
            {
                var resolver = new PinnedImageResolver(Engine, Log);
                var pinned = Run(ct => resolver.ResolveAsync(reference.Parsed, ToImagePullPolicy(PullPolicy), platform,
                    CredentialConversion.ToRegistryCredential(Credential), ct));
                WriteVerbose($"{reference} is pinned to {pinned}; creating {Count} container(s) from it.");
                _template.Platform = platform;
                var request = new ReplicaRequest
                {
                    Source = reference.Parsed, Pinned = pinned, Names = names, Template = _template,
                    Start = Start.IsPresent, Wait = Wait.IsPresent, Logs = Logs.IsPresent, Remove = Remove.IsPresent,
                };
                foreach (Replica replica in Run(ct => new ReplicaCreator(Engine).CreateAsync(request, ct)))
                    WriteObject(PinnedContainer.From(replica));
            }
            catch (FailureException e) when (e.Kind != ErrorCatalog.EngineUnreachable)
            {
                WriteError(ErrorRecords.From(e, reference.ToString()));
            }
            catch (FailureException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, Engine.Endpoint.Address.OriginalString));
            }
        }

        // The digest resolved once at the registry; then the same replicas on every engine at once, each with its own rollback.
        private void CreateOnEveryEngine(ImageReference reference, string platform, string[] names)
        {
            EngineFleet fleet = Fleet;
            _template.Platform = platform;
            var request = new ReplicaRequest
            {
                Source = reference.Parsed, Names = names, Template = _template,
                Start = Start.IsPresent, Wait = Wait.IsPresent, Logs = Logs.IsPresent, Remove = Remove.IsPresent,
            };
            RegistryCredential credential = CredentialConversion.ToRegistryCredential(Credential);
            IReadOnlyList<FleetOutcome<List<Replica>>> outcomes;
            try
            {
                ParsedReference pinned = Run(ct => new FleetPuller(fleet, new RegistryAccess(this, Credential).Options, Log).PinAsync(reference.Parsed, ct));
                WriteVerbose($"{reference} is pinned to {pinned}; creating {Count} container(s) from it on each engine.");
                outcomes = Run(ct => new FleetReplicaCreator(fleet, Log).CreateAsync(pinned, ToImagePullPolicy(PullPolicy), platform, credential, request, ct));
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

        private static ImagePullPolicy ToImagePullPolicy(PullPolicy policy)
            => policy == PullPolicy.Always ? ImagePullPolicy.Always : policy == PullPolicy.Never ? ImagePullPolicy.Never : ImagePullPolicy.Missing;

    }
}
