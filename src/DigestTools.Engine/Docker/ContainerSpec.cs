using System.Collections.Generic;

namespace DigestTools.Engine.Docker
{
    /// <summary>What to create: the subset of `docker create` that runbooks need. Plain values only.</summary>
    public sealed class ContainerSpec : WorkloadSpec
    {
        /// <summary>The image as the container will record it: always repo@sha256:... from the cmdlet.</summary>
        public string Image { get; set; }

        /// <summary>"source:target[:ro]" binds, as docker -v takes them.</summary>
        public IList<string> Volumes { get; set; } = new List<string>();

        /// <summary>"none", "host", "bridge" or a network name; null for the engine default.</summary>
        public string Network { get; set; }

        public RestartPolicySpec RestartPolicy { get; set; }
        public string Platform { get; set; }

        /// <summary>--rm: the engine removes the container when it exits.</summary>
        public bool AutoRemove { get; set; }
    }
}
