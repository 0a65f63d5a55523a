using System.Collections.Generic;

namespace DigestTools.Engine.Docker
{
    /// <summary>What to create: the subset of `docker create` that runbooks need. Plain values only.</summary>
    public sealed class ContainerSpec
    {
        /// <summary>The image as the container will record it: always repo@sha256:... from the cmdlet.</summary>
        public string Image { get; set; }
        public string Name { get; set; }
        public IList<string> Command { get; set; }
        public IList<string> Entrypoint { get; set; }
        public IDictionary<string, string> Environment { get; set; } = new Dictionary<string, string>();
        public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();

        /// <summary>"source:target[:ro]" binds, as docker -v takes them.</summary>
        public IList<string> Volumes { get; set; } = new List<string>();

        /// <summary>Parsed --mount values.</summary>
        public IList<MountSpec> Mounts { get; set; } = new List<MountSpec>();

        /// <summary>"none", "host", "bridge" or a network name; null for the engine default.</summary>
        public string Network { get; set; }

        public IList<PortSpec> Ports { get; set; } = new List<PortSpec>();
        public RestartPolicySpec RestartPolicy { get; set; }
        public string User { get; set; }
        public string WorkingDirectory { get; set; }
        public string Platform { get; set; }

        /// <summary>--rm: the engine removes the container when it exits.</summary>
        public bool AutoRemove { get; set; }
    }
}
