using System.Collections.Generic;
using System.Management.Automation;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.References;
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
    public sealed partial class NewPinnedContainerCommand : PinnedWorkloadCmdlet
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

        /// <summary>Number of replicas, all from the same digest; with -Name, replicas are Name-1 ... Name-N.</summary>
        [Parameter]
        [ValidateRange(1, 1000)]
        public int Count { get; set; } = 1;

        /// <summary>Bind mounts or named volumes, docker -v style: "source:target[:ro]".</summary>
        [Parameter]
        public string[] Volume { get; set; }

        /// <summary>Network: none, host, bridge or the name of an existing network.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(NetworkCompleter))]
        public string Network { get; set; }

        /// <summary>no, always, unless-stopped, on-failure[:max-retries].</summary>
        [Parameter]
        [ArgumentCompleter(typeof(RestartPolicyCompleter))]
        public string RestartPolicy { get; set; }

        /// <summary>os/arch[/variant] for the pull and the container.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PlatformCompleter))]
        public string Platform { get; set; }

        /// <summary>Missing (default): pull when absent. Always: pull first. Never: the engine must have the image.</summary>
        [Parameter]
        public PullPolicy PullPolicy { get; set; } = PullPolicy.Missing;

        [Parameter]
        public SwitchParameter Start { get; set; }

        [Parameter]
        public SwitchParameter Logs { get; set; }

        [Parameter]
        public SwitchParameter Remove { get; set; }

        private ContainerSpec _template;

        // Parameters parsed once (InvalidMountSpec, InvalidPublishSpec, InvalidRestartPolicy stop the cmdlet before anything is created).
        protected override void BeginProcessing()
        {
            try
            {
                _template = new ContainerSpec();
                ReadInto(_template, PortSpec.Parse);
                _template.Volumes = new List<string>(Volume ?? new string[0]);
                _template.Network = NullIfBlank(Network);
                _template.RestartPolicy = string.IsNullOrEmpty(RestartPolicy) ? null : RestartPolicySpec.Parse(RestartPolicy);
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
            _template.Platform = platform;
            if (ManyEngines)
            {
                if (ShouldProcess($"{target} on each of {EngineUri.Length} engines", "Create pinned container")) CreateOnEveryEngine(reference, Request(reference.Parsed, null, names, _template));
                return;
            }
            if (!ShouldProcess(target, "Create pinned container")) return;

            try
            {
                var resolver = new PinnedImageResolver(Engine, Log);
                var pinned = Run(ct => resolver.ResolveAsync(reference.Parsed, ImagePolicy, platform, CredentialConversion.ToRegistryCredential(Credential), ct));
                WriteVerbose($"{reference} is pinned to {pinned}; creating {Count} container(s) from it.");
                CreateReplicas(Request(reference.Parsed, pinned, names, _template));
            }
            catch (FailureException e)
            {
                WriteFailure(e, reference.ToString());
            }
        }

        private ReplicaRequest Request(ParsedReference source, ParsedReference pinned, string[] names, ContainerSpec template) => new ReplicaRequest
        {
            Source = source, Pinned = pinned, Names = names, Template = template,
            Start = Start.IsPresent, Wait = Wait.IsPresent, Logs = Logs.IsPresent, Remove = Remove.IsPresent,
        };

        private void CreateReplicas(ReplicaRequest request)
        {
            EngineClient engine = Engine;
            foreach (Replica replica in Run(ct => new ReplicaCreator(engine).CreateAsync(request, ct)))
                WriteObject(PinnedContainer.From(replica));
        }

        private ImagePullPolicy ImagePolicy
            => PullPolicy == PullPolicy.Always ? ImagePullPolicy.Always : PullPolicy == PullPolicy.Never ? ImagePullPolicy.Never : ImagePullPolicy.Missing;
    }
}
