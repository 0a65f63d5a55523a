using System.Collections.Generic;

namespace DigestTools.Engine.Docker
{
    /// <summary>
    /// A container's full configuration as the engine inspects it: what drift compares and what
    /// New-PinnedContainer -FromContainer copies. Plain values; published ports are listed but never copied.
    /// </summary>
    public sealed class ContainerConfiguration
    {
        public string Id { get; set; }

        /// <summary>Without the leading '/' Docker puts there.</summary>
        public string Name { get; set; }

        /// <summary>Config.Image: the reference the container was created from, exactly as given (or as Podman found it).</summary>
        public string ConfiguredImage { get; set; }

        /// <summary>The image id (sha256:...) the container runs.</summary>
        public string ImageId { get; set; }

        /// <summary>"created", "running", "exited"...</summary>
        public string State { get; set; }

        public IReadOnlyDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();
        public IReadOnlyList<string> Command { get; set; } = new string[0];
        public IReadOnlyList<string> Entrypoint { get; set; } = new string[0];

        /// <summary>"NAME=value" entries, the image's defaults included, as the engine merged them.</summary>
        public IReadOnlyList<string> Environment { get; set; } = new string[0];

        /// <summary>HostConfig.Binds as given at create ("source:target[:ro]").</summary>
        public IReadOnlyList<string> Binds { get; set; } = new string[0];

        /// <summary>HostConfig.Mounts as given at create (not the anonymous volumes the engine added).</summary>
        public IReadOnlyList<MountSpec> Mounts { get; set; } = new MountSpec[0];

        /// <summary>HostConfig.NetworkMode: "none", "host", "bridge", "default" or a network name.</summary>
        public string NetworkMode { get; set; }

        /// <summary>The networks the container is attached to (NetworkSettings.Networks keys).</summary>
        public IReadOnlyList<string> Networks { get; set; } = new string[0];

        /// <summary>Null when the engine reports none (or "no" with no retries).</summary>
        public RestartPolicySpec RestartPolicy { get; set; }

        public string User { get; set; }
        public string WorkingDirectory { get; set; }

        /// <summary>"container/host[/protocol]" published bindings: reported, never copied (they would clash).</summary>
        public IReadOnlyList<string> PublishedPorts { get; set; } = new string[0];
    }
}
