using System;
using System.Collections.Generic;
using System.Linq;
using DigestTools.Engine.Docker;

namespace DigestTools.Engine.Pinning
{
    /// <summary>
    /// The configuration of replicas made like a running container: its command, entrypoint, environment, labels,
    /// binds and mounts, network, restart policy, user, working directory and platform, with the caller's explicit
    /// values winning. Environment and labels merge per name; every other explicit value replaces the copied one.
    /// Published ports are never copied (they would clash); the io.digesttools.* labels are recomputed by the creator.
    /// </summary>
    public static class ReplicaTemplate
    {
        /// <param name="container">The container to copy.</param>
        /// <param name="platform">The platform of the image it runs (os/arch[/variant]), or null.</param>
        /// <param name="explicitSpec">The caller's values (only those named in <paramref name="given"/> count).</param>
        /// <param name="given">Parameter names the caller gave: Command, Entrypoint, Environment, Label, Volume, Mount, Network, Publish, RestartPolicy, User, WorkingDirectory, Platform.</param>
        public static ContainerSpec Merge(ContainerConfiguration container, string platform, ContainerSpec explicitSpec, ICollection<string> given)
        {
            bool Has(string name) => given.Contains(name);
            var environment = EnvironmentOf(container);
            foreach (var pair in explicitSpec.Environment ?? new Dictionary<string, string>()) environment[pair.Key] = pair.Value;
            var labels = container.Labels
                .Where(l => !l.Key.StartsWith("io.digesttools.", StringComparison.Ordinal))
                .ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
            foreach (var pair in explicitSpec.Labels ?? new Dictionary<string, string>()) labels[pair.Key] = pair.Value;

            return new ContainerSpec
            {
                Command = Has("Command") ? explicitSpec.Command : container.Command.ToList(),
                Entrypoint = Has("Entrypoint") ? explicitSpec.Entrypoint : container.Entrypoint.ToList(),
                Environment = environment,
                Labels = labels,
                Volumes = Has("Volume") ? explicitSpec.Volumes : container.Binds.ToList(),
                Mounts = Has("Mount") ? explicitSpec.Mounts : container.Mounts.ToList(),
                Network = Has("Network") ? explicitSpec.Network : (container.NetworkMode == "default" ? null : container.NetworkMode),
                Ports = explicitSpec.Ports ?? new List<PortSpec>(),
                RestartPolicy = Has("RestartPolicy") ? explicitSpec.RestartPolicy : container.RestartPolicy,
                User = Has("User") ? explicitSpec.User : container.User,
                WorkingDirectory = Has("WorkingDirectory") ? explicitSpec.WorkingDirectory : container.WorkingDirectory,
                Platform = Has("Platform") ? explicitSpec.Platform : platform,
            };
        }

        // NAME=value entries as the engine merged them; Podman adds HOSTNAME=<the container's own short id>, which
        // would give every replica the original's host name.
        private static Dictionary<string, string> EnvironmentOf(ContainerConfiguration container)
        {
            string shortId = container.Id != null && container.Id.Length >= 12 ? container.Id.Substring(0, 12) : container.Id;
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string entry in container.Environment)
            {
                int eq = entry.IndexOf('=');
                string name = eq < 0 ? entry : entry.Substring(0, eq);
                string value = eq < 0 ? string.Empty : entry.Substring(eq + 1);
                if (name == "HOSTNAME" && value == shortId) continue;
                result[name] = value;
            }
            return result;
        }
    }
}
