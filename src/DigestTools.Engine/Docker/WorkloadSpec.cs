using System.Collections.Generic;

namespace DigestTools.Engine.Docker
{
    /// <summary>
    /// What a container and a Swarm service's task are both made of: the process (command, entrypoint, user,
    /// working directory), its environment, labels, mounts and published ports. Plain values only.
    /// </summary>
    public abstract class WorkloadSpec
    {
        public string Name { get; set; }

        /// <summary>Replaces the image's CMD (the words after the image in `docker run` / `docker service create`).</summary>
        public IList<string> Command { get; set; }

        /// <summary>Replaces the image's ENTRYPOINT.</summary>
        public IList<string> Entrypoint { get; set; }

        public IDictionary<string, string> Environment { get; set; } = new Dictionary<string, string>();
        public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();

        /// <summary>Parsed --mount values.</summary>
        public IList<MountSpec> Mounts { get; set; } = new List<MountSpec>();

        public IList<PortSpec> Ports { get; set; } = new List<PortSpec>();
        public string User { get; set; }
        public string WorkingDirectory { get; set; }
    }
}
