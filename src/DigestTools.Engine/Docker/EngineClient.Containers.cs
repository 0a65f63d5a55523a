using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet.Models;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Docker
{
    /// <summary>Listing containers and reading their full configuration (drift, replicas like a running container).</summary>
    public sealed partial class EngineClient
    {
        /// <summary>GET /containers/json: running containers, or every container (stopped too) with <paramref name="all"/>.</summary>
        public async Task<IReadOnlyList<EngineContainer>> ListContainersAsync(bool all, CancellationToken cancellationToken)
        {
            IList<ContainerListResponse> list = await Send("list containers",
                ct => _docker.Containers.ListContainersAsync(new ContainersListParameters { All = all }, ct), ErrorCatalog.ContainerListFailed, cancellationToken).ConfigureAwait(false);
            return list.Select(c => new EngineContainer
            {
                Id = c.ID,
                Name = c.Names?.FirstOrDefault()?.TrimStart('/'),
                ConfiguredImage = c.Image,
                ImageId = c.ImageID,
                State = c.State,
                Labels = c.Labels == null ? new Dictionary<string, string>() : new Dictionary<string, string>(c.Labels),
            }).ToList();
        }

        /// <summary>GET /containers/{id}/json with everything a replica copies; null when there is no such container.</summary>
        public async Task<ContainerConfiguration> InspectContainerConfigurationAsync(string idOrName, CancellationToken cancellationToken)
        {
            ContainerInspectResponse r = await Send("inspect container " + idOrName,
                NullIfNotFound(ct => _docker.Containers.InspectContainerAsync(idOrName, ct)), ErrorCatalog.ContainerInspectFailed, cancellationToken).ConfigureAwait(false);
            return r == null ? null : ContainerConfigurationReader.Read(r);
        }
    }
}
