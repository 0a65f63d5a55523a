using System.Linq;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;

namespace DigestTools
{
    /// <summary>New-PinnedService's parameters as the engine's service spec: a fresh one per input (the creator writes the image and labels into it).</summary>
    public sealed partial class NewPinnedServiceCommand
    {
        private SwarmServiceSpec Spec()
        {
            var spec = new SwarmServiceSpec();
            ReadInto(spec, ServicePort);
            spec.Name = Name;
            spec.Networks = (Network ?? new string[0]).Where(n => !string.IsNullOrWhiteSpace(n)).ToList();
            spec.Constraints = (Constraint ?? new string[0]).Where(c => !string.IsNullOrWhiteSpace(c)).ToList();
            spec.Global = Global.IsPresent;
            spec.Replicas = (ulong)Replicas;
            spec.RestartCondition = RestartCondition;
            spec.RestartMaxAttempts = RestartMaxAttempts;
            spec.RestartDelay = RestartDelay;
            spec.UpdateParallelism = UpdateParallelism;
            spec.UpdateDelay = UpdateDelay;
            spec.UpdateFailureAction = UpdateFailureAction;
            spec.UpdateOrder = UpdateOrder;
            spec.UpdateMonitor = UpdateMonitor;
            return spec;
        }

        // The routing mesh publishes on every node: a host address has no meaning for a service.
        private static PortSpec ServicePort(string text)
        {
            PortSpec port = PortSpec.Parse(text);
            if (!string.IsNullOrEmpty(port.HostIp))
                throw new FailureException(ErrorCatalog.InvalidPublishSpec,
                    $"The port '{text}' cannot be published by a service: Swarm publishes on every node, so no address may be given. Use [publishedPort:]targetPort[/protocol].");
            return port;
        }
    }
}
