using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Pinning;

namespace DigestTools
{
    /// <summary>
    /// <para type="synopsis">Creates containers from an image digest, never from a tag: every replica runs the same bytes.</para>
    /// <para type="description">
    /// The reference is resolved ONCE to repository@sha256:... (a tag through the engine, see -PullPolicy) and every
    /// container is created from that pinned reference: its configured image (Config.Image) is repository@digest,
    /// never the tag, so a tag that moves later cannot change what the replicas run.
    ///
    /// Labels (namespace io.digesttools.*), so drift can be checked later:
    ///   io.digesttools.source-reference  the reference the caller gave (e.g. registry/app:1.2)
    ///   io.digesttools.digest            the digest the container is pinned to (sha256:...)
    ///   io.digesttools.pinned-reference  repository@digest
    ///
    /// Names: -Name with -Count 1 is the container's name; with -Count N the replicas are named Name-1 ... Name-N.
    /// Without -Name the engine chooses names.
    ///
    /// If one of the N creations (or starts) fails, the call rolls back: every container it created so far is
    /// removed (forced), and ONE error is written naming the failed replica, the cause, and each container removed
    /// (or, should a removal itself fail, each container left behind). Nothing from that input is output.
    /// Containers that existed before the call are never touched. A failure after every container started
    /// (waiting, reading logs) keeps them and the error names each one.
    ///
    /// -Start starts the containers (docker run -d). -Wait starts, waits for each to exit and reports ExitCode
    /// (docker run). -Logs implies -Wait and returns stdout+stderr in Logs. -Remove removes the container after
    /// -Wait (its exit code and logs are read first), or lets the engine remove it on exit otherwise (--rm).
    /// Errors: NoRegistryDigest (local image never pulled), ImageNotPresent (-PullPolicy Never), ManifestUnknown,
    /// PullFailed, ContainerNameInUse, InvalidReference; EngineUnreachable stops the cmdlet.
    /// </para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "PinnedContainer", SupportsShouldProcess = true)]
    [OutputType(typeof(PinnedContainer))]
    public sealed class NewPinnedContainerCommand : EngineCmdlet
    {
        /// <summary>The image: name[:tag][@digest], an ImageReference, or Get-ImageDigest / Invoke-ImagePull output.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNull]
        [ArgumentCompleter(typeof(LocalImageCompleter))]
        public object Reference { get; set; }

        /// <summary>repository@digest from a previous resolution; wins over Reference.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string PinnedReference { get; set; }

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
        public string Network { get; set; }

        /// <summary>Published ports, docker -p style: "[ip:][hostPort:]containerPort[/protocol]".</summary>
        [Parameter]
        public string[] Publish { get; set; }

        /// <summary>no, always, unless-stopped, on-failure[:max-retries].</summary>
        [Parameter]
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
            if (reference == null || !PlatformInput.TryRead(Platform, out string platform, out invalid))
            {
                WriteError(invalid);
                return;
            }
            string[] names = ReplicaNames.For(Name, Count);
            string target = reference + (Count > 1 ? $" ({Count} replicas{(Name != null ? ": " + string.Join(", ", names) : "")})" : Name != null ? " (" + Name + ")" : "");
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

        private static ImagePullPolicy ToImagePullPolicy(PullPolicy policy)
            => policy == PullPolicy.Always ? ImagePullPolicy.Always : policy == PullPolicy.Never ? ImagePullPolicy.Never : ImagePullPolicy.Missing;

        // Parameters parsed once: bad values stop the cmdlet before anything is created.
        private ContainerSpec BuildTemplate() => new ContainerSpec
        {
            Command = Command,
            Entrypoint = Entrypoint,
            Environment = ToDictionary(Environment),
            Labels = ToDictionary(Label),
            Volumes = Volume?.ToList() ?? new List<string>(),
            Mounts = (Mount ?? new string[0]).Select(MountSpec.Parse).ToList(),
            Network = NullIfEmpty(Network),
            Ports = (Publish ?? new string[0]).Select(PortSpec.Parse).ToList(),
            RestartPolicy = string.IsNullOrEmpty(RestartPolicy) ? null : RestartPolicySpec.Parse(RestartPolicy),
            User = NullIfEmpty(User),
            WorkingDirectory = NullIfEmpty(WorkingDirectory),
        };

        private static Dictionary<string, string> ToDictionary(Hashtable table)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            if (table == null) return result;
            foreach (DictionaryEntry entry in table)
                result[LanguagePrimitives.ConvertTo<string>(entry.Key)] = entry.Value == null ? string.Empty : LanguagePrimitives.ConvertTo<string>(entry.Value);
            return result;
        }

        private static string NullIfEmpty(string s) => string.IsNullOrWhiteSpace(s) ? null : s;
    }
}
