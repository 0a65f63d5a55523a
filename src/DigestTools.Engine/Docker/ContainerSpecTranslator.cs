using System;
using Version = System.Version;
using System.Collections.Generic;
using System.Linq;
using Docker.DotNet.Models;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Docker
{
    /// <summary>Maps our ContainerSpec onto the engine's create request (docker create semantics).</summary>
    internal static class ContainerSpecTranslator
    {
        internal static CreateContainerParameters ToParameters(ContainerSpec spec, Version apiVersion)
        {
            var host = new HostConfig
            {
                Binds = spec.Volumes?.Count > 0 ? spec.Volumes.ToList() : null,
                NetworkMode = string.IsNullOrEmpty(spec.Network) ? null : spec.Network,
                AutoRemove = spec.AutoRemove,
            };
            if (spec.Mounts?.Count > 0)
                host.Mounts = spec.Mounts.Select(m => new Mount { Type = m.Type, Source = m.Source, Target = m.Target, ReadOnly = m.ReadOnly }).ToList();
            if (spec.RestartPolicy != null)
                host.RestartPolicy = new RestartPolicy { Name = RestartKind(spec.RestartPolicy.Name), MaximumRetryCount = spec.RestartPolicy.MaximumRetryCount };

            Dictionary<string, EmptyStruct> exposed = null;
            if (spec.Ports?.Count > 0)
            {
                exposed = new Dictionary<string, EmptyStruct>();
                host.PortBindings = new Dictionary<string, IList<PortBinding>>();
                foreach (PortSpec port in spec.Ports)
                {
                    exposed[port.Key] = default(EmptyStruct);
                    if (!host.PortBindings.TryGetValue(port.Key, out IList<PortBinding> bindings))
                        host.PortBindings[port.Key] = bindings = new List<PortBinding>();
                    bindings.Add(new PortBinding { HostIP = port.HostIp, HostPort = port.HostPort });
                }
            }

            var parameters = new CreateContainerParameters
            {
                Image = spec.Image,
                Name = string.IsNullOrEmpty(spec.Name) ? null : spec.Name,
                Cmd = spec.Command?.Count > 0 ? spec.Command.ToList() : null,
                Entrypoint = spec.Entrypoint?.Count > 0 ? spec.Entrypoint.ToList() : null,
                Env = spec.Environment?.Count > 0 ? spec.Environment.Select(kv => kv.Key + "=" + kv.Value).ToList() : null,
                Labels = spec.Labels?.Count > 0 ? new Dictionary<string, string>(spec.Labels) : null,
                User = string.IsNullOrEmpty(spec.User) ? null : spec.User,
                WorkingDir = string.IsNullOrEmpty(spec.WorkingDirectory) ? null : spec.WorkingDirectory,
                ExposedPorts = exposed,
                HostConfig = host,
            };
            if (!string.IsNullOrEmpty(spec.Platform))
            {
                if (apiVersion != null && apiVersion < EngineApiVersion.CreatePlatform)
                    throw new FailureException(ErrorCatalog.EngineApiTooOld, $"Choosing a platform at container creation needs engine API {EngineApiVersion.CreatePlatform}; this engine speaks {apiVersion}.");
                parameters.Platform = spec.Platform;
            }
            return parameters;
        }

        private static RestartPolicyKind RestartKind(string name)
        {
            switch (name)
            {
                case "always": return RestartPolicyKind.Always;
                case "unless-stopped": return RestartPolicyKind.UnlessStopped;
                case "on-failure": return RestartPolicyKind.OnFailure;
                default: return RestartPolicyKind.No;
            }
        }
    }
}
