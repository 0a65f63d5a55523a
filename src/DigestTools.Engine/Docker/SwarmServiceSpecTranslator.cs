using System;
using System.Collections.Generic;
using System.Linq;
using Docker.DotNet.Models;

namespace DigestTools.Engine.Docker
{
    /// <summary>Maps our SwarmServiceSpec onto the engine's ServiceSpec (docker service create semantics).</summary>
    internal static class SwarmServiceSpecTranslator
    {
        internal static ServiceSpec ToServiceSpec(SwarmServiceSpec spec)
        {
            var container = new global::Docker.DotNet.Models.ContainerSpec
            {
                Image = spec.Image,
                Labels = spec.ContainerLabels?.Count > 0 ? new Dictionary<string, string>(spec.ContainerLabels) : null,
                Command = spec.Entrypoint?.Count > 0 ? spec.Entrypoint.ToList() : null,
                Args = spec.Command?.Count > 0 ? spec.Command.ToList() : null,
                Env = spec.Environment?.Count > 0 ? spec.Environment.Select(kv => kv.Key + "=" + kv.Value).ToList() : null,
                Mounts = spec.Mounts?.Count > 0
                    ? spec.Mounts.Select(m => new Mount { Type = m.Type, Source = m.Source, Target = m.Target, ReadOnly = m.ReadOnly }).ToList()
                    : null,
                User = string.IsNullOrEmpty(spec.User) ? null : spec.User,
                Dir = string.IsNullOrEmpty(spec.WorkingDirectory) ? null : spec.WorkingDirectory,
            };
            var task = new TaskSpec
            {
                ContainerSpec = container,
                Networks = spec.Networks?.Count > 0 ? spec.Networks.Select(n => new NetworkAttachmentConfig { Target = n }).ToList() : null,
                Placement = spec.Constraints?.Count > 0 ? new Placement { Constraints = spec.Constraints.ToList() } : null,
            };
            if (spec.RestartCondition != null || spec.RestartMaxAttempts != null || spec.RestartDelay != null)
            {
                task.RestartPolicy = new SwarmRestartPolicy
                {
                    Condition = spec.RestartCondition,
                    MaxAttempts = spec.RestartMaxAttempts,
                    Delay = spec.RestartDelay,
                };
            }
            var service = new ServiceSpec
            {
                Name = spec.Name,
                Labels = spec.Labels?.Count > 0 ? new Dictionary<string, string>(spec.Labels) : null,
                TaskTemplate = task,
                Mode = spec.Global ? new ServiceMode { Global = new GlobalService() } : new ServiceMode { Replicated = new ReplicatedService { Replicas = spec.Replicas } },
            };
            if (spec.UpdateParallelism != null || spec.UpdateDelay != null || spec.UpdateFailureAction != null || spec.UpdateOrder != null || spec.UpdateMonitor != null)
            {
                service.UpdateConfig = new SwarmUpdateConfig
                {
                    // Swarm's own default is 1 task at a time; 0 would mean "all at once".
                    Parallelism = spec.UpdateParallelism ?? 1,
                    Delay = spec.UpdateDelay,
                    FailureAction = spec.UpdateFailureAction,
                    Order = spec.UpdateOrder,
                    Monitor = spec.UpdateMonitor,
                };
            }
            if (spec.Ports?.Count > 0)
            {
                service.EndpointSpec = new EndpointSpec
                {
                    Ports = spec.Ports.Select(p => new PortConfig
                    {
                        Protocol = p.Protocol,
                        TargetPort = (uint)p.ContainerPort,
                        PublishedPort = string.IsNullOrEmpty(p.HostPort) ? (uint?)null : uint.Parse(p.HostPort),
                        PublishMode = "ingress",
                    }).ToList(),
                };
            }
            return service;
        }
    }
}
