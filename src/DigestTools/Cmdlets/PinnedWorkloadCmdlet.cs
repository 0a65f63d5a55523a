using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using DigestTools.Engine.Docker;

namespace DigestTools
{
    /// <summary>
    /// Base of New-PinnedContainer and New-PinnedService: the parameters a container and a service's task share
    /// (the process, its environment, labels, mounts and ports), the registry credential and -Wait, and the one
    /// reader that turns them into the engine's spec.
    /// </summary>
    public abstract class PinnedWorkloadCmdlet : EngineCmdlet
    {
        /// <summary>The container's or service's name.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        /// <summary>Replaces the image's CMD.</summary>
        [Parameter(Position = 1)]
        public string[] Command { get; set; }

        /// <summary>Replaces the image's ENTRYPOINT.</summary>
        [Parameter]
        public string[] Entrypoint { get; set; }

        /// <summary>Environment variables: @{ NAME = 'value' }.</summary>
        [Parameter]
        public Hashtable Environment { get; set; }

        /// <summary>Extra labels: @{ 'com.example.role' = 'replica' }. The io.digesttools.* labels are always set.</summary>
        [Parameter]
        public Hashtable Label { get; set; }

        /// <summary>Mounts, docker --mount style: "type=volume,source=data,target=/data".</summary>
        [Parameter]
        public string[] Mount { get; set; }

        /// <summary>Published ports, docker -p style.</summary>
        [Parameter]
        public string[] Publish { get; set; }

        [Parameter]
        public string User { get; set; }

        [Parameter]
        public string WorkingDirectory { get; set; }

        /// <summary>Registry credential: resolves or pulls the image.</summary>
        [Parameter]
        [Credential]
        public PSCredential Credential { get; set; }

        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>
        /// Writes the shared parameters, parsed, into <paramref name="spec"/> and returns it. Bad values throw
        /// FailureException (InvalidMountSpec, InvalidPublishSpec), so a cmdlet reading them in BeginProcessing stops
        /// before anything is created.
        /// </summary>
        internal WorkloadSpec ReadInto(WorkloadSpec spec, Func<string, PortSpec> readPort)
        {
            spec.Command = Command;
            spec.Entrypoint = Entrypoint;
            spec.Environment = HashtableInput.ToDictionary(Environment);
            spec.Labels = HashtableInput.ToDictionary(Label);
            spec.Mounts = (Mount ?? new string[0]).Select(MountSpec.Parse).ToList();
            spec.Ports = (Publish ?? new string[0]).Select(readPort).ToList();
            spec.User = NullIfBlank(User);
            spec.WorkingDirectory = NullIfBlank(WorkingDirectory);
            return spec;
        }

        internal static string NullIfBlank(string s) => string.IsNullOrWhiteSpace(s) ? null : s;
    }
}
