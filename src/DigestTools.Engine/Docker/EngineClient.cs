using System;
using Version = System.Version;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Docker
{
    /// <summary>
    /// The Docker Engine API as DigestTools needs it (Docker and Podman's compatible API), speaking plain
    /// DTOs so no Docker.DotNet type reaches the cmdlets. One instance per cmdlet call, at a negotiated version.
    /// </summary>
    public sealed partial class EngineClient : IDisposable
    {
        private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(15);
        private readonly DockerClient _docker;

        private EngineClient(DockerClient docker, EngineEndpoint endpoint, Version apiVersion, string product)
        {
            _docker = docker;
            Endpoint = endpoint;
            ApiVersion = apiVersion;
            Product = product;
        }

        public EngineEndpoint Endpoint { get; }

        /// <summary>The negotiated API version every request uses.</summary>
        public Version ApiVersion { get; }

        /// <summary>"Docker Engine 20.10.24" or "Podman Engine 4.3.1", for verbose text.</summary>
        public string Product { get; }

        /// <summary>
        /// Podman's compatible API records the name an image was found under, not the name given, as a
        /// container's Config.Image: a digested name exists only once the image was pulled by that digest.
        /// </summary>
        public bool IsPodman => Product.StartsWith("Podman", StringComparison.OrdinalIgnoreCase);

        /// <summary>Asks the daemon its versions (GET /version, unversioned) and returns a client at min(daemon, ours).</summary>
        /// <exception cref="FailureException">EngineUnreachable, EngineApiTooOld, ...</exception>
        public static async Task<EngineClient> ConnectAsync(EngineEndpoint endpoint, CancellationToken cancellationToken)
        {
            VersionResponse version;
            using (DockerClient probe = Build(endpoint, null))
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(s_connectTimeout);
                try
                {
                    version = await probe.System.GetVersionAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw EngineErrors.Unreachable(endpoint, new TimeoutException($"no answer within {s_connectTimeout.TotalSeconds} s", e));
                }
                catch (Exception e) when (EngineErrors.IsConnectionFailure(e))
                {
                    throw EngineErrors.Unreachable(endpoint, e);
                }
                catch (DockerApiException e)
                {
                    throw new FailureException(ErrorCatalog.EngineUnreachable, $"The service at {endpoint.Address.OriginalString} (from {endpoint.Source}) does not answer like a container engine: {EngineErrors.Message(e)}", e);
                }
            }
            Version negotiated = EngineApiVersion.Negotiate(version.APIVersion, version.MinAPIVersion, endpoint.Address.OriginalString);
            string product = version.Components?.FirstOrDefault()?.Name ?? "Engine";
            if (product == "Engine") product = "Docker Engine";
            return new EngineClient(Build(endpoint, negotiated), endpoint, negotiated, product + " " + version.Version);
        }

        private static DockerClient Build(EngineEndpoint endpoint, Version apiVersion)
        {
            Uri address = endpoint.Address;
            // Docker.DotNet picks its transport from the scheme; tcp with TLS is https to it.
            if (address.Scheme == "tcp" && endpoint.UsesTls) address = new UriBuilder(address) { Scheme = "https" }.Uri;
            else if (address.Scheme == "tcp") address = new UriBuilder(address) { Scheme = "http" }.Uri;
            var builder = new DockerClientBuilder().WithEndpoint(address).WithTimeout(Timeout.InfiniteTimeSpan);
            if (apiVersion != null) builder = builder.WithApiVersion(apiVersion);
            if (endpoint.UsesTls) builder = builder.WithAuthProvider(new EngineTlsAuthProvider(endpoint));
            return builder.Build();
        }

        /// <summary>
        /// POST /images/create with fromImage and one tag or digest. Errors inside the stream fail the pull even
        /// though the HTTP status was 200 (Podman reports every failure that way).
        /// </summary>
        /// <exception cref="FailureException">ManifestUnknown, RegistryAuthenticationFailed, PullFailed, EngineUnreachable.</exception>
        public async Task<ImagePullOutcome> PullAsync(ImagePullRequest request, Action<ImagePullProgress> progress, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(request.TagOrDigest))
                throw new ArgumentException("A pull needs a tag or digest: without one the engine would pull every tag.", nameof(request));
            string display = request.Repository + (request.TagOrDigest.Contains(":") ? "@" : ":") + request.TagOrDigest;
            var parameters = new ImagesCreateParameters { FromImage = request.Repository, Tag = request.TagOrDigest };
            if (!string.IsNullOrEmpty(request.Platform)) parameters.Platform = request.Platform;
            var headers = new Dictionary<string, string>();
            if (!string.IsNullOrEmpty(request.RegistryAuth)) headers[RegistryAuthHeader.Name] = request.RegistryAuth;

            var stream = new PullStreamReader(progress);
            try
            {
                await _docker.Images.CreateImageAsync(parameters, null, headers, stream, cancellationToken).ConfigureAwait(false);
            }
            catch (DockerApiException e)
            {
                throw EngineErrors.PullFailed(display, EngineErrors.Message(e), e);
            }
            catch (Exception e) when (!(e is OperationCanceledException) && EngineErrors.IsConnectionFailure(e))
            {
                throw EngineErrors.Unreachable(Endpoint, e);
            }
            if (stream.Error != null) throw EngineErrors.PullFailed(display, stream.Error);
            return new ImagePullOutcome { StreamDigest = stream.Digest, LastId = stream.LastId };
        }

        /// <summary>GET /images/{name}/json; null when the engine has no such image.</summary>
        public async Task<EngineImage> InspectImageAsync(string nameOrId, CancellationToken cancellationToken)
        {
            try
            {
                ImageInspectResponse r = await _docker.Images.InspectImageAsync(nameOrId, cancellationToken).ConfigureAwait(false);
                return new EngineImage
                {
                    Id = r.ID,
                    RepoTags = (r.RepoTags ?? new List<string>()).ToArray(),
                    RepoDigests = (r.RepoDigests ?? new List<string>()).ToArray(),
                    Os = r.Os,
                    Architecture = r.Architecture,
                    Variant = r.Variant,
                    Created = r.Created,
                    Size = r.Size,
                };
            }
            catch (DockerApiException e) when (EngineErrors.IsNotFound(e)) { return null; }
            catch (DockerApiException e) { throw Failed(ErrorCatalog.ImageInspectFailed, "inspect image " + nameOrId, e); }
            catch (Exception e) when (!(e is OperationCanceledException) && EngineErrors.IsConnectionFailure(e)) { throw EngineErrors.Unreachable(Endpoint, e); }
        }

        /// <summary>GET /images/json: top-level images, like `docker images`. No digests=1: Podman answers that with an empty body, and RepoDigests come anyway.</summary>
        public async Task<IReadOnlyList<EngineImage>> ListImagesAsync(CancellationToken cancellationToken)
        {
            try
            {
                IList<ImagesListResponse> list = await _docker.Images.ListImagesAsync(new ImagesListParameters(), cancellationToken).ConfigureAwait(false);
                return list.Select(i => new EngineImage
                {
                    Id = i.ID,
                    RepoTags = (i.RepoTags ?? new List<string>()).ToArray(),
                    RepoDigests = (i.RepoDigests ?? new List<string>()).ToArray(),
                    Created = i.Created,
                    Size = i.Size,
                }).ToList();
            }
            catch (DockerApiException e) { throw Failed(ErrorCatalog.ImageListFailed, "list images", e); }
            catch (Exception e) when (!(e is OperationCanceledException) && EngineErrors.IsConnectionFailure(e)) { throw EngineErrors.Unreachable(Endpoint, e); }
        }

        /// <summary>POST /containers/create; returns the new container's id.</summary>
        /// <exception cref="FailureException">ContainerNameInUse, ImageNotFound, ContainerCreationFailed.</exception>
        public async Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken)
        {
            CreateContainerParameters parameters = ContainerSpecTranslator.ToParameters(spec, ApiVersion);
            try
            {
                CreateContainerResponse r = await _docker.Containers.CreateContainerAsync(parameters, cancellationToken).ConfigureAwait(false);
                return r.ID;
            }
            catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict || EngineErrors.Message(e).Contains("already in use"))
            {
                throw new FailureException(ErrorCatalog.ContainerNameInUse, $"A container named '{spec.Name}' already exists: {EngineErrors.Message(e)}", e);
            }
            catch (DockerApiException e) when (EngineErrors.IsNotFound(e))
            {
                throw new FailureException(ErrorCatalog.ImageNotFound, $"The engine has no image {spec.Image}: {EngineErrors.Message(e)}", e);
            }
            catch (DockerApiException e) { throw Failed(ErrorCatalog.ContainerCreationFailed, "create a container from " + spec.Image, e); }
            catch (Exception e) when (!(e is OperationCanceledException) && EngineErrors.IsConnectionFailure(e)) { throw EngineErrors.Unreachable(Endpoint, e); }
        }

        public Task StartContainerAsync(string id, CancellationToken cancellationToken)
            => Call(ErrorCatalog.ContainerStartFailed, "start container " + id, () => _docker.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken));

        /// <summary>POST /containers/{id}/wait: blocks until the container exits; returns its exit code.</summary>
        public async Task<long> WaitContainerAsync(string id, CancellationToken cancellationToken)
        {
            long code = 0;
            await Call(ErrorCatalog.ContainerWaitFailed, "wait for container " + id, async () =>
            {
                ContainerWaitResponse r = await _docker.Containers.WaitContainerAsync(id, cancellationToken).ConfigureAwait(false);
                code = r.StatusCode;
            }).ConfigureAwait(false);
            return code;
        }

        /// <summary>stdout and stderr, interleaved as the engine stored them.</summary>
        public async Task<string> GetLogsAsync(string id, CancellationToken cancellationToken)
        {
            var text = new StringBuilder();
            await Call(ErrorCatalog.ContainerLogsFailed, "read the logs of container " + id, async () =>
            {
                var parameters = new ContainerLogsParameters { ShowStdout = true, ShowStderr = true };
                using (MultiplexedStream stream = await _docker.Containers.GetContainerLogsAsync(id, parameters, cancellationToken).ConfigureAwait(false))
                {
                    Decoder decoder = new UTF8Encoding(false).GetDecoder();
                    var buffer = new byte[8192];
                    var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
                    while (true)
                    {
                        MultiplexedStream.ReadResult read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
                        if (read.EOF || read.Count == 0) break;
                        int n = decoder.GetChars(buffer, 0, read.Count, chars, 0);
                        text.Append(chars, 0, n);
                    }
                }
            }).ConfigureAwait(false);
            return text.ToString();
        }

        /// <summary>GET /containers/{id}/json; null when it does not exist (any more).</summary>
        public async Task<EngineContainer> InspectContainerAsync(string idOrName, CancellationToken cancellationToken)
        {
            try
            {
                ContainerInspectResponse r = await _docker.Containers.InspectContainerAsync(idOrName, cancellationToken).ConfigureAwait(false);
                return new EngineContainer
                {
                    Id = r.ID,
                    Name = r.Name?.TrimStart('/'),
                    ConfiguredImage = r.Config?.Image,
                    ImageId = r.Image,
                    State = r.State?.Status,
                    ExitCode = r.State == null ? (long?)null : r.State.ExitCode,
                    Labels = r.Config?.Labels == null ? new Dictionary<string, string>() : new Dictionary<string, string>(r.Config.Labels),
                };
            }
            catch (DockerApiException e) when (EngineErrors.IsNotFound(e)) { return null; }
            catch (DockerApiException e) { throw Failed(ErrorCatalog.ContainerInspectFailed, "inspect container " + idOrName, e); }
            catch (Exception e) when (!(e is OperationCanceledException) && EngineErrors.IsConnectionFailure(e)) { throw EngineErrors.Unreachable(Endpoint, e); }
        }

        /// <summary>DELETE /containers/{id}?force=...; a container already gone is not an error.</summary>
        public async Task RemoveContainerAsync(string id, bool force, CancellationToken cancellationToken)
        {
            try
            {
                await _docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = force }, cancellationToken).ConfigureAwait(false);
            }
            catch (DockerApiException e) when (EngineErrors.IsNotFound(e)) { }
            catch (DockerApiException e) { throw Failed(ErrorCatalog.ContainerRemoveFailed, "remove container " + id, e); }
            catch (Exception e) when (!(e is OperationCanceledException) && EngineErrors.IsConnectionFailure(e)) { throw EngineErrors.Unreachable(Endpoint, e); }
        }

        private async Task Call(ErrorKind kind, string what, Func<Task> call)
        {
            try { await call().ConfigureAwait(false); }
            catch (DockerApiException e) when (EngineErrors.IsNotFound(e))
            {
                throw new FailureException(ErrorCatalog.ContainerNotFound, $"The engine could not {what}: {EngineErrors.Message(e)}", e);
            }
            catch (DockerApiException e) { throw Failed(kind, what, e); }
            catch (Exception e) when (!(e is OperationCanceledException) && EngineErrors.IsConnectionFailure(e)) { throw EngineErrors.Unreachable(Endpoint, e); }
        }

        private static FailureException Failed(ErrorKind kind, string what, DockerApiException e)
            => new FailureException(kind, $"The engine could not {what}: {EngineErrors.Message(e)}", e);

        public void Dispose() => _docker.Dispose();
    }
}
