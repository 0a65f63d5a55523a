using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DigestTools.Engine.Docker;

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
        internal const string LabelSourceReference = "io.digesttools.source-reference";
        internal const string LabelDigest = "io.digesttools.digest";
        internal const string LabelPinnedReference = "io.digesttools.pinned-reference";

        /// <summary>The image: name[:tag][@digest], an ImageReference, or Get-ImageDigest / Invoke-ImagePull output.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(LocalImageCompleter))]
        public string Reference { get; set; }

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
            catch (EngineException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, null));
            }
        }

        protected override void ProcessRecord()
        {
            ImageReference reference = ImageInput.Parse(Reference, PinnedReference, out ErrorRecord invalid);
            if (reference == null)
            {
                WriteError(invalid);
                return;
            }
            string[] names = ReplicaNames.For(Name, Count);
            string target = reference + (Count > 1 ? $" ({Count} replicas{(Name != null ? ": " + string.Join(", ", names) : "")})" : Name != null ? " (" + Name + ")" : "");
            if (!ShouldProcess(target, "Create pinned container")) return;

            try
            {
                ImageReference pinned = new PinnedImageResolver(this, Engine)
                    .Resolve(reference, PullPolicy, NullIfEmpty(Platform), Credential);
                WriteVerbose($"{reference} is pinned to {pinned}; creating {Count} container(s) from it.");
                foreach (PinnedContainer container in CreateReplicas(reference, pinned, names))
                    WriteObject(container);
            }
            catch (EngineException e) when (e.ErrorId != "EngineUnreachable")
            {
                WriteError(ErrorRecords.From(e, reference.ToString()));
            }
            catch (EngineException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, reference.ToString()));
            }
        }

        // Create all, then start all; any failure rolls back what this call created for this input.
        private List<PinnedContainer> CreateReplicas(ImageReference source, ImageReference pinned, string[] names)
        {
            bool wait = Wait.IsPresent || Logs.IsPresent;
            bool start = Start.IsPresent || wait;
            var created = new List<PinnedContainer>();
            int replica = 0;
            try
            {
                for (replica = 1; replica <= names.Length; replica++)
                {
                    ContainerSpec spec = SpecFor(source, pinned, names[replica - 1], autoRemove: Remove.IsPresent && !wait);
                    string id = Run(ct => Engine.CreateContainerAsync(spec, ct));
                    var container = new PinnedContainer
                    {
                        Id = id,
                        Name = spec.Name,
                        Image = pinned.ToString(),
                        Digest = pinned.Digest,
                        SourceReference = source.ToString(),
                        State = "created",
                        Replica = replica,
                        Engine = Engine.Endpoint.Address.OriginalString,
                    };
                    created.Add(container);
                    VerifyPinned(container, pinned);
                }
                if (start)
                {
                    for (replica = 1; replica <= created.Count; replica++)
                    {
                        string id = created[replica - 1].Id;
                        Run(async ct => { await Engine.StartContainerAsync(id, ct).ConfigureAwait(false); return true; });
                    }
                }
            }
            catch (EngineException e)
            {
                throw RolledBack(e, replica, names.Length, created);
            }

            try
            {
                Finish(created, wait);
            }
            catch (EngineException e)
            {
                // Started containers are the caller's now: keep them, but say which ones still exist.
                throw new EngineException(e.ErrorId, e.Category, $"{e.Message} {DescribeKept(created)}", e);
            }
            return created;
        }

        // Asked of the engine, not assumed: a container removed by someone else must not be called kept.
        private string DescribeKept(List<PinnedContainer> created)
        {
            var kept = new List<string>();
            var gone = new List<string>();
            var unknown = new List<string>();
            foreach (PinnedContainer c in created)
            {
                string label = (c.Name ?? "(unnamed)") + " " + c.Id.Substring(0, Math.Min(12, c.Id.Length));
                try
                {
                    EngineContainer now = Run(ct => Engine.InspectContainerAsync(c.Id, ct));
                    (now == null || now.State == "removing" ? gone : kept).Add(label);
                }
                catch (EngineException) { unknown.Add(label); }
            }
            var parts = new List<string>();
            if (kept.Count > 0) parts.Add($"The containers of this call were created and started and are kept: {string.Join(", ", kept)}.");
            if (gone.Count > 0) parts.Add($"No longer in the engine (removed by someone else): {string.Join(", ", gone)}.");
            if (unknown.Count > 0) parts.Add($"The engine did not say whether these still exist: {string.Join(", ", unknown)}.");
            return string.Join(" ", parts);
        }

        // Wait, read logs, remove (-Remove after -Wait) and report each container's state.
        private void Finish(List<PinnedContainer> created, bool wait)
        {
            foreach (PinnedContainer container in created)
            {
                if (wait)
                {
                    container.ExitCode = Run(ct => Engine.WaitContainerAsync(container.Id, ct));
                    if (Logs.IsPresent) container.Logs = Run(ct => Engine.GetLogsAsync(container.Id, ct));
                }
                if (wait && Remove.IsPresent)
                {
                    Run(async ct => { await Engine.RemoveContainerAsync(container.Id, false, ct).ConfigureAwait(false); return true; });
                    container.State = "removed";
                    continue;
                }
                EngineContainer inspected = Run(ct => Engine.InspectContainerAsync(container.Id, ct));
                if (!Remove.IsPresent && (inspected == null || inspected.State == "removing"))
                    throw new EngineException("ContainerNotFound", "ObjectNotFound",
                        $"Container {container.Name ?? container.Id} was removed by someone else before the call could report it.");
                container.Name = inspected?.Name ?? container.Name;
                container.State = inspected?.State ?? (Remove.IsPresent ? "removed" : container.State);
                if (inspected?.ExitCode != null && container.ExitCode == null && inspected.State == "exited") container.ExitCode = inspected.ExitCode;
            }
        }

        // The promise of this cmdlet, checked on the engine's own record rather than assumed.
        private void VerifyPinned(PinnedContainer container, ImageReference pinned)
        {
            EngineContainer inspected = Run(ct => Engine.InspectContainerAsync(container.Id, ct));
            string configured = inspected?.ConfiguredImage;
            if (configured != null && ImageReference.TryParse(configured, out ImageReference recorded) && recorded.Equals(pinned)) return;
            throw new EngineException("PinNotRecorded", "InvalidResult",
                $"The engine recorded the image of container {container.Name ?? container.Id} as '{configured}', not {pinned}.");
        }

        private EngineException RolledBack(EngineException cause, int replica, int count, List<PinnedContainer> created)
        {
            var removed = new List<string>();
            var left = new List<string>();
            foreach (PinnedContainer c in created)
            {
                string label = (c.Name ?? "(unnamed)") + " " + c.Id.Substring(0, Math.Min(12, c.Id.Length));
                try
                {
                    Run(async ct => { await Engine.RemoveContainerAsync(c.Id, true, ct).ConfigureAwait(false); return true; });
                    removed.Add(label);
                }
                catch (EngineException e)
                {
                    left.Add(label + " (" + e.Message + ")");
                }
            }
            string outcome = created.Count == 0 ? "Nothing else of this call had been created."
                : (removed.Count > 0 ? $"Rolled back (removed) {removed.Count} container(s) created by this call: {string.Join(", ", removed)}." : "")
                  + (left.Count > 0 ? $" Could NOT remove, left behind: {string.Join(", ", left)}." : "");
            string which = count > 1 ? $"Replica {Math.Min(replica, count)} of {count}" : "The container";
            return new EngineException(cause.ErrorId, cause.Category, $"{which} failed: {cause.Message} {outcome}", cause);
        }

        private ContainerSpec SpecFor(ImageReference source, ImageReference pinned, string name, bool autoRemove)
        {
            var labels = new Dictionary<string, string>(_template.Labels)
            {
                [LabelSourceReference] = source.ToString(),
                [LabelDigest] = pinned.Digest,
                [LabelPinnedReference] = pinned.ToString(),
            };
            return new ContainerSpec
            {
                Image = pinned.ToString(),
                Name = name,
                Command = _template.Command,
                Entrypoint = _template.Entrypoint,
                Environment = _template.Environment,
                Labels = labels,
                Volumes = _template.Volumes,
                Mounts = _template.Mounts,
                Network = _template.Network,
                Ports = _template.Ports,
                RestartPolicy = _template.RestartPolicy,
                User = _template.User,
                WorkingDirectory = _template.WorkingDirectory,
                Platform = _template.Platform,
                AutoRemove = autoRemove,
            };
        }

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
            Platform = NullIfEmpty(Platform),
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
