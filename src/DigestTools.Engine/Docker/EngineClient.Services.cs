using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Docker
{
    /// <summary>Swarm services and their tasks. Every call needs a Swarm manager (EnsureSwarmManagerAsync).</summary>
    public sealed partial class EngineClient
    {
        /// <summary>Throws NotSwarmManager unless this engine manages a Swarm: Podman has no Swarm, and a worker or a standalone dockerd cannot create services.</summary>
        public async Task EnsureSwarmManagerAsync(CancellationToken cancellationToken)
        {
            string address = Endpoint.Address.OriginalString;
            if (IsPodman)
                throw NotSwarmManager($"The engine at {address} is {Product}, which has no Swarm: services need a Docker engine that manages a Swarm.");
            SystemInfoResponse info = await Swarm("read the engine's Swarm state", ct => _docker.System.GetSystemInfoAsync(ct), cancellationToken).ConfigureAwait(false);
            string state = info.Swarm?.LocalNodeState;
            if (!string.Equals(state, "active", StringComparison.OrdinalIgnoreCase))
                throw NotSwarmManager($"The engine at {address} is not part of a Swarm (state '{(string.IsNullOrEmpty(state) ? "unknown" : state)}'): run `docker swarm init` there, or point -EngineUri at a manager.");
            if (!info.Swarm.ControlAvailable)
                throw NotSwarmManager($"The engine at {address} is a Swarm worker, not a manager: point -EngineUri at a manager node.");
        }

        /// <summary>POST /services/create; returns the new service's id. The credential, when given, lets every node pull the image.</summary>
        /// <exception cref="FailureException">ServiceNameInUse, ServiceCreationFailed, NotSwarmManager, EngineUnreachable.</exception>
        public async Task<string> CreateServiceAsync(SwarmServiceSpec spec, RegistryAuthConfig auth, CancellationToken cancellationToken)
        {
            var parameters = new ServiceCreateParameters { Service = SwarmServiceSpecTranslator.ToServiceSpec(spec), RegistryAuth = auth?.ToAuthConfig() };
            string what = "create the service " + (spec.Name ?? spec.Image);
            ServiceCreateResponse r = await Send(what, ct => _docker.Swarm.CreateServiceAsync(parameters, ct),
                e => e.StatusCode == HttpStatusCode.Conflict
                    ? new FailureException(ErrorCatalog.ServiceNameInUse, $"A service named '{spec.Name}' already exists: {EngineErrors.Message(e)}", e)
                    : SwarmFailure(e, what, ErrorCatalog.ServiceCreationFailed), cancellationToken).ConfigureAwait(false);
            return r.ID;
        }

        /// <summary>GET /services/{id}; null when there is no such service.</summary>
        public async Task<EngineService> InspectServiceAsync(string idOrName, CancellationToken cancellationToken)
        {
            SwarmService raw = await InspectRawServiceAsync(idOrName, cancellationToken).ConfigureAwait(false);
            return raw == null ? null : ToEngineService(raw);
        }

        /// <summary>
        /// Rolls a service onto a new image through Swarm's rolling update: the spec is read, its image and the
        /// given labels (service and container) changed, and written back at the version read. Swarm's reply carries only
        /// warnings, and the one dockerd gives on an update (it could not record the image's digest) cannot apply to an
        /// image named by its digest, so the reply is not kept.
        /// </summary>
        /// <exception cref="FailureException">ServiceNotFound, ServiceUpdateFailed (also when someone else changed the spec meanwhile).</exception>
        public async Task UpdateServiceImageAsync(string idOrName, string image, IDictionary<string, string> labels, RegistryAuthConfig auth, CancellationToken cancellationToken)
        {
            SwarmService raw = await InspectRawServiceAsync(idOrName, cancellationToken).ConfigureAwait(false)
                ?? throw ServiceNotFound(idOrName);
            ServiceSpec spec = raw.Spec;
            spec.TaskTemplate.ContainerSpec.Image = image;
            spec.Labels = Merge(spec.Labels, labels);
            spec.TaskTemplate.ContainerSpec.Labels = Merge(spec.TaskTemplate.ContainerSpec.Labels, labels);
            var parameters = new ServiceUpdateParameters { Service = spec, Version = (long)(raw.Version?.Index ?? 0), RegistryAuth = auth?.ToAuthConfig() };
            await Swarm("update the service " + idOrName,
                ct => _docker.Swarm.UpdateServiceAsync(raw.ID, parameters, ct), cancellationToken, ErrorCatalog.ServiceUpdateFailed).ConfigureAwait(false);
        }

        /// <summary>DELETE /services/{id}; a service already gone is not an error.</summary>
        public Task RemoveServiceAsync(string id, CancellationToken cancellationToken)
            => Swarm("remove the service " + id, NullIfNotFound(async ct =>
            {
                await _docker.Swarm.RemoveServiceAsync(id, ct).ConfigureAwait(false);
                return string.Empty;
            }), cancellationToken);

        /// <summary>GET /services: every service of the Swarm, in the engine's order.</summary>
        public async Task<IReadOnlyList<EngineService>> ListServicesAsync(CancellationToken cancellationToken)
        {
            IList<SwarmService> list = await Swarm("list services", ct => _docker.Swarm.ListServicesAsync(new ServiceListParameters(), ct), cancellationToken).ConfigureAwait(false);
            return (list ?? new List<SwarmService>()).Select(ToEngineService).ToList();
        }

        /// <summary>GET /services?status=true: desired and running task counts of one service (API 1.41+), or null when unknown.</summary>
        public async Task<(ulong Desired, ulong Running)?> GetServiceTaskCountsAsync(string id, CancellationToken cancellationToken)
        {
            var parameters = new ServiceListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["id"] = new Dictionary<string, bool> { [id] = true } },
                Status = true,
            };
            IList<SwarmService> list = await Swarm("list services", ct => _docker.Swarm.ListServicesAsync(parameters, ct), cancellationToken).ConfigureAwait(false);
            ServiceStatus status = list?.FirstOrDefault(s => s.ID == id)?.ServiceStatus;
            return status == null ? ((ulong, ulong)?)null : (status.DesiredTasks, status.RunningTasks);
        }

        /// <summary>GET /tasks?filters={"service":[id]}: every task Swarm still remembers for the service, newest first.</summary>
        public async Task<IReadOnlyList<EngineServiceTask>> ListServiceTasksAsync(string serviceId, CancellationToken cancellationToken)
        {
            var parameters = new TasksListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["service"] = new Dictionary<string, bool> { [serviceId] = true } },
            };
            IList<TaskResponse> tasks = await Swarm("list the tasks of service " + serviceId, ct => _docker.Tasks.ListAsync(parameters, ct), cancellationToken).ConfigureAwait(false);
            return tasks.Where(t => t.ServiceID == serviceId)
                .Select(t => new EngineServiceTask
                {
                    Id = t.ID,
                    ServiceId = t.ServiceID,
                    Slot = t.Slot == null ? (ulong?)null : (ulong)t.Slot.Value,
                    NodeId = t.NodeID,
                    Image = t.Spec?.ContainerSpec?.Image,
                    DesiredState = t.DesiredState?.ToString().ToLowerInvariant(),
                    State = t.Status?.State?.ToString().ToLowerInvariant(),
                    Message = t.Status?.Message,
                    Error = t.Status?.Err,
                    ContainerId = t.Status?.ContainerStatus?.ContainerID,
                    // A task rejected before it had a container still reports ExitCode 0: no container, no exit code.
                    ExitCode = string.IsNullOrEmpty(t.Status?.ContainerStatus?.ContainerID) ? (long?)null : t.Status.ContainerStatus.ExitCode,
                    Timestamp = t.Status?.Timestamp,
                })
                .OrderByDescending(t => t.Timestamp ?? DateTime.MinValue)
                .ToList();
        }

        private Task<SwarmService> InspectRawServiceAsync(string idOrName, CancellationToken cancellationToken)
        {
            string what = "inspect the service " + idOrName;
            return Send(what, NullIfNotFound(ct => _docker.Swarm.InspectServiceAsync(idOrName, ct)), e => SwarmFailure(e, what, ErrorCatalog.ServiceInspectFailed), cancellationToken);
        }

        // A Swarm request under the same bound and translation as every engine request (EngineCallGuard).
        private Task<T> Swarm<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, ErrorKind kind = null)
            => Send(what, call, e => SwarmFailure(e, what, kind), cancellationToken);

        private static Exception SwarmFailure(DockerApiException e, string what, ErrorKind kind)
        {
            if (EngineErrors.IsNotFound(e) && kind == ErrorCatalog.ServiceUpdateFailed)
                return new FailureException(ErrorCatalog.ServiceNotFound, $"The engine could not {what}: {EngineErrors.Message(e)}", e);
            if (IsNotManager(e)) return NotSwarmManager(EngineErrors.Message(e), e);
            return Failed(kind ?? ErrorCatalog.SwarmRequestFailed, what, e);
        }

        internal static EngineService ToEngineService(SwarmService s) => new EngineService
        {
            Id = s.ID,
            Name = s.Spec?.Name,
            Version = s.Version?.Index ?? 0,
            Image = s.Spec?.TaskTemplate?.ContainerSpec?.Image,
            PreviousImage = s.PreviousSpec?.TaskTemplate?.ContainerSpec?.Image,
            Labels = s.Spec?.Labels == null ? new Dictionary<string, string>() : new Dictionary<string, string>(s.Spec.Labels),
            Mode = s.Spec?.Mode?.Global != null ? "global" : s.Spec?.Mode?.ReplicatedJob != null ? "replicated-job" : s.Spec?.Mode?.GlobalJob != null ? "global-job" : "replicated",
            Replicas = s.Spec?.Mode?.Replicated?.Replicas,
            UpdateState = s.UpdateStatus?.State,
            UpdateMessage = s.UpdateStatus?.Message,
            UpdateStartedAt = s.UpdateStatus?.StartedAt,
            UpdatedAt = s.UpdatedAt,
        };

        private static IDictionary<string, string> Merge(IDictionary<string, string> existing, IDictionary<string, string> changes)
        {
            var merged = existing == null ? new Dictionary<string, string>() : new Dictionary<string, string>(existing);
            if (changes != null) foreach (KeyValuePair<string, string> kv in changes) merged[kv.Key] = kv.Value;
            return merged;
        }

        // A standalone engine answers 503 "This node is not a swarm manager..." to every Swarm endpoint.
        private static bool IsNotManager(DockerApiException e)
            => e.StatusCode == HttpStatusCode.ServiceUnavailable || EngineErrors.Message(e).IndexOf("not a swarm manager", StringComparison.OrdinalIgnoreCase) >= 0;

        private static FailureException NotSwarmManager(string message, Exception inner = null)
            => new FailureException(ErrorCatalog.NotSwarmManager, message, inner);

        private static FailureException ServiceNotFound(string idOrName)
            => new FailureException(ErrorCatalog.ServiceNotFound, $"The Swarm has no service '{idOrName}'.");
    }
}
