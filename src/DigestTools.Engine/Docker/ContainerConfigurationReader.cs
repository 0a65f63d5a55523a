using System.Collections.Generic;
using System.Linq;
using Docker.DotNet.Models;

namespace DigestTools.Engine.Docker
{
    /// <summary>Turns the engine's container inspect answer into a ContainerConfiguration (Docker and Podman alike).</summary>
    internal static class ContainerConfigurationReader
    {
        internal static ContainerConfiguration Read(ContainerInspectResponse r)
        {
            ContainerConfig config = r.Config ?? new ContainerConfig();
            HostConfig host = r.HostConfig ?? new HostConfig();
            return new ContainerConfiguration
            {
                Id = r.ID,
                Name = r.Name?.TrimStart('/'),
                ConfiguredImage = config.Image,
                ImageId = r.Image,
                State = r.State?.Status,
                Labels = config.Labels == null ? new Dictionary<string, string>() : new Dictionary<string, string>(config.Labels),
                Command = List(config.Cmd),
                Entrypoint = List(config.Entrypoint),
                Environment = List(config.Env),
                Binds = List(host.Binds),
                Mounts = (host.Mounts ?? new List<Mount>())
                    .Select(m => MountSpec.Of(m.Type, m.Source, m.Target, m.ReadOnly == true))
                    .Concat(TmpfsMounts(host.Tmpfs)).ToArray(),
                NetworkMode = string.IsNullOrEmpty(host.NetworkMode) ? null : host.NetworkMode,
                Networks = r.NetworkSettings?.Networks?.Keys.OrderBy(k => k, System.StringComparer.Ordinal).ToArray() ?? new string[0],
                RestartPolicy = Restart(host.RestartPolicy),
                User = string.IsNullOrEmpty(config.User) ? null : config.User,
                WorkingDirectory = string.IsNullOrEmpty(config.WorkingDir) ? null : config.WorkingDir,
                PublishedPorts = Published(host.PortBindings),
            };
        }

        private static string[] List(IList<string> values) => values?.ToArray() ?? new string[0];

        // docker --tmpfs, and Podman's record of --mount type=tmpfs: target -> options (the options are not kept).
        private static IEnumerable<MountSpec> TmpfsMounts(IDictionary<string, string> tmpfs)
            => (tmpfs ?? new Dictionary<string, string>()).Keys.OrderBy(k => k, System.StringComparer.Ordinal)
                .Select(target => MountSpec.Of("tmpfs", null, target, false));

        private static RestartPolicySpec Restart(RestartPolicy policy)
        {
            switch (policy?.Name)
            {
                case RestartPolicyKind.Always: return RestartPolicySpec.Parse("always");
                case RestartPolicyKind.UnlessStopped: return RestartPolicySpec.Parse("unless-stopped");
                case RestartPolicyKind.OnFailure:
                    return RestartPolicySpec.Parse(policy.MaximumRetryCount > 0 ? "on-failure:" + policy.MaximumRetryCount : "on-failure");
                default: return null;
            }
        }

        private static string[] Published(IDictionary<string, IList<PortBinding>> bindings)
        {
            if (bindings == null) return new string[0];
            return bindings.SelectMany(kv => (kv.Value ?? new List<PortBinding>())
                    .Select(b => (string.IsNullOrEmpty(b.HostIP) ? "" : b.HostIP + ":") + b.HostPort + "->" + kv.Key))
                .ToArray();
        }
    }
}
