using System;
using Version = System.Version;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Handler.Abstractions;
using DigestTools.Engine.Errors;
using Docker.DotNet.Models;

namespace DigestTools.Engine.Docker
{
    /// <summary>
    /// The Docker Engine API as DigestTools needs it (Docker and Podman's compatible API), speaking plain
    /// DTOs so no Docker.DotNet type reaches the cmdlets. One instance per cmdlet call, at a negotiated version.
    /// </summary>
    public sealed partial class EngineClient : IDisposable
    {
        /// <summary>What -TimeoutSec defaults to: the bound on each request that does not stream, and on silence in one that does.</summary>
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

        private static readonly TimeSpan s_longestWaitPoll = TimeSpan.FromSeconds(2);
        private readonly DockerClient _docker;
        private readonly EngineCallGuard _guard;

        private EngineClient(DockerClient docker, EngineCallGuard guard, EngineEndpoint endpoint, Version apiVersion, string product)
        {
            _docker = docker;
            _guard = guard;
            Endpoint = endpoint;
            ApiVersion = apiVersion;
            Product = product;
        }

        public EngineEndpoint Endpoint { get; }

        /// <summary>The negotiated API version every request uses.</summary>
        public Version ApiVersion { get; }

        /// <summary>"Docker Engine 20.10.24" or "Podman Engine 4.3.1", for verbose text.</summary>
        public string Product { get; }

        /// <summary>The bound on each request that does not stream, and on the silence of one that does.</summary>
        public TimeSpan Timeout => _guard.Timeout;

        /// <summary>
        /// Podman's compatible API records the name an image was found under, not the name given, as a
        /// container's Config.Image: a digested name exists only once the image was pulled by that digest.
        /// </summary>
        public bool IsPodman => Product.StartsWith("Podman", StringComparison.OrdinalIgnoreCase);

        public static Task<EngineClient> ConnectAsync(EngineEndpoint endpoint, CancellationToken cancellationToken)
            => ConnectAsync(endpoint, DefaultTimeout, cancellationToken);

        /// <summary>
        /// Asks the daemon which API it speaks and returns a client at min(daemon, ours). GET /_ping answers for Docker
        /// and Podman (<see cref="EnginePingHeaders"/>); GET /version (unversioned) when the ping's headers do not
        /// name both, or name an API newer than ours: then only /version tells the daemon's minimum.
        /// </summary>
        /// <param name="timeout">The bound on each request that does not stream, and on the silence of one that does.</param>
        /// <exception cref="FailureException">EngineUnreachable, EngineTimeout, NotAContainerEngine, EngineApiTooOld, ...</exception>
        public static async Task<EngineClient> ConnectAsync(EngineEndpoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), "The engine timeout must be positive.");
            var guard = new EngineCallGuard(endpoint, timeout);
            var ping = new EnginePingHeaders(TlsFor(endpoint));
            VersionResponse version;
            using (DockerClient probe = Build(endpoint, null, ping))
            {
                await guard.RunAsync("answer a ping", async w => { await probe.System.PingAsync(w.Token).ConfigureAwait(false); return true; },
                    e => EngineErrors.NotAnEngine(endpoint, "answer a ping", e), cancellationToken).ConfigureAwait(false);
                if (ping.TryIdentify(out string pingVersion, out string pingProduct)
                    && Version.TryParse(pingVersion, out Version daemon) && daemon <= EngineApiVersion.ClientMaximum)
                {
                    Version chosen = EngineApiVersion.Negotiate(pingVersion, null, endpoint.Address.OriginalString);
                    return new EngineClient(Build(endpoint, chosen, TlsFor(endpoint)), guard, endpoint, chosen, pingProduct);
                }
                version = await guard.RunAsync("report its version", w => probe.System.GetVersionAsync(w.Token),
                    e => EngineErrors.NotAnEngine(endpoint, "report its version", e), cancellationToken).ConfigureAwait(false);
            }
            // A web server may well answer JSON; an engine's version reply always names its API version.
            if (string.IsNullOrWhiteSpace(version?.APIVersion)) throw EngineErrors.NotAnEngine(endpoint, "report its version", null);
            Version negotiated = EngineApiVersion.Negotiate(version.APIVersion, version.MinAPIVersion, endpoint.Address.OriginalString);
            string product = version.Components?.FirstOrDefault()?.Name ?? "Engine";
            if (product == "Engine") product = "Docker Engine";
            return new EngineClient(Build(endpoint, negotiated, TlsFor(endpoint)), guard, endpoint, negotiated, product + " " + version.Version);
        }

        /// <summary>
        /// A client for quick read-only questions (tab completion), without GET /version: Podman takes seconds
        /// to answer it (it runs its helper programs for their versions). Requests go to unversioned paths,
        /// which the daemon answers at its own API version; ApiVersion is null and Product unknown.
        /// </summary>
        public static EngineClient ConnectWithoutNegotiation(EngineEndpoint endpoint)
            => new EngineClient(Build(endpoint, null, TlsFor(endpoint)), new EngineCallGuard(endpoint, DefaultTimeout), endpoint, null, "Engine");

        private static IAuthProvider TlsFor(EngineEndpoint endpoint) => endpoint.UsesTls ? new EngineTlsAuthProvider(endpoint) : null;

        private static DockerClient Build(EngineEndpoint endpoint, Version apiVersion, IAuthProvider authProvider)
        {
            // Docker.DotNet sends tcp:// as http, or as https when the auth provider enables TLS (EngineTlsAuthProvider).
            // No timeout of Docker.DotNet's own: every request is bounded by EngineCallGuard instead.
            var builder = new DockerClientBuilder().WithEndpoint(endpoint.Address).WithTimeout(System.Threading.Timeout.InfiniteTimeSpan);
            if (apiVersion != null) builder = builder.WithApiVersion(apiVersion);
            if (authProvider != null) builder = builder.WithAuthProvider(authProvider);
            return builder.Build();
        }

        /// <summary>
        /// POST /images/create with fromImage and one tag or digest. Errors inside the stream fail the pull even
        /// though the HTTP status was 200 (Podman reports every failure that way). Bounded by progress: each
        /// message of the stream restarts the timeout.
        /// </summary>
        /// <exception cref="FailureException">ManifestUnknown, RegistryAuthenticationFailed, PullFailed, EngineTimeout, EngineUnreachable.</exception>
        public async Task<ImagePullOutcome> PullAsync(ImagePullRequest request, Action<ImagePullProgress> progress, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(request.TagOrDigest))
                throw new ArgumentException("A pull needs a tag or digest: without one the engine would pull every tag.", nameof(request));
            string display = request.Repository + (request.TagOrDigest.Contains(":") ? "@" : ":") + request.TagOrDigest;
            var parameters = new ImagesCreateParameters { FromImage = request.Repository, Tag = request.TagOrDigest };
            if (!string.IsNullOrEmpty(request.Platform)) parameters.Platform = request.Platform;
            var headers = new Dictionary<string, string>();
            if (!string.IsNullOrEmpty(request.RegistryAuth)) headers[RegistryAuthHeader.Name] = request.RegistryAuth;

            PullStreamReader stream = await _guard.RunAsync("pull " + display, async watchdog =>
            {
                var reader = new PullStreamReader(progress, watchdog.Kick);
                await _docker.Images.CreateImageAsync(parameters, null, headers, reader, watchdog.Token).ConfigureAwait(false);
                return reader;
            }, e => EngineErrors.PullFailed(display, EngineErrors.Message(e), e), cancellationToken).ConfigureAwait(false);
            if (stream.Error != null) throw EngineErrors.PullFailed(display, stream.Error);
            return new ImagePullOutcome { StreamDigest = stream.Digest, LastId = stream.LastId };
        }

        /// <summary>GET /images/{name}/json; null when the engine has no such image.</summary>
        public Task<EngineImage> InspectImageAsync(string nameOrId, CancellationToken cancellationToken)
            => Send("inspect image " + nameOrId, NullIfNotFound(async ct =>
            {
                ImageInspectResponse r = await _docker.Images.InspectImageAsync(nameOrId, ct).ConfigureAwait(false);
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
            }), ErrorCatalog.ImageInspectFailed, cancellationToken);

        /// <summary>GET /images/json: top-level images, like `docker images`. No digests=1: Podman answers that with an empty body, and RepoDigests come anyway.</summary>
        public Task<IReadOnlyList<EngineImage>> ListImagesAsync(CancellationToken cancellationToken)
            => Send<IReadOnlyList<EngineImage>>("list images", async ct =>
            {
                IList<ImagesListResponse> list = await _docker.Images.ListImagesAsync(new ImagesListParameters(), ct).ConfigureAwait(false);
                return list.Select(i => new EngineImage
                {
                    Id = i.ID,
                    RepoTags = (i.RepoTags ?? new List<string>()).ToArray(),
                    RepoDigests = (i.RepoDigests ?? new List<string>()).ToArray(),
                    Created = i.Created,
                    Size = i.Size,
                }).ToList();
            }, ErrorCatalog.ImageListFailed, cancellationToken);

        /// <summary>GET /networks: the names of the engine's networks (what `docker network ls` lists), sorted.</summary>
        public async Task<IReadOnlyList<string>> ListNetworkNamesAsync(CancellationToken cancellationToken)
        {
            IList<NetworkResponse> list = await Send("list networks", ct => _docker.Networks.ListNetworksAsync(new NetworksListParameters(), ct),
                ErrorCatalog.NetworkListFailed, cancellationToken).ConfigureAwait(false);
            return list.Select(n => n.Name).Where(n => !string.IsNullOrEmpty(n)).OrderBy(n => n, StringComparer.Ordinal).ToList();
        }

        /// <exception cref="FailureException">ContainerNotFound, ContainerStartFailed.</exception>
        public Task StartContainerAsync(string id, CancellationToken cancellationToken)
            => Send("start container " + id, async ct => { await _docker.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct).ConfigureAwait(false); return true; },
                ErrorCatalog.ContainerStartFailed, cancellationToken, notFoundIsGone: true);

        /// <summary>
        /// POST /containers/{id}/wait: until the container exits; returns its exit code. The wait itself is silent
        /// for as long as the container runs, so its progress is the container's: it is inspected every few
        /// seconds, each look restarting the timeout while it still runs. The wait fails with ContainerNotFound
        /// when the container disappears (also just as it exits), and with EngineTimeout when the engine stops
        /// answering or does not report an exit within the timeout of the container stopping.
        /// </summary>
        public async Task<long> WaitContainerAsync(string id, CancellationToken cancellationToken)
        {
            string what = "wait for container " + id;
            TimeSpan poll = TimeSpan.FromTicks(Math.Min(Timeout.Ticks / 3, s_longestWaitPoll.Ticks));
            long code = await _guard.RunAsync(what, async watchdog =>
            {
                Task<ContainerWaitResponse> wait = _docker.Containers.WaitContainerAsync(id, watchdog.Token);
                while (await Task.WhenAny(wait, Task.Delay(poll, watchdog.Token)).ConfigureAwait(false) != wait)
                {
                    watchdog.Token.ThrowIfCancellationRequested();
                    EngineContainer now = await InspectContainerAsync(id, cancellationToken).ConfigureAwait(false);
                    if (IsGone(now)) throw EngineErrors.ContainerGone(id, "while the call waited for it to exit");
                    if (!HasStopped(now)) watchdog.Kick();
                }
                return (await wait.ConfigureAwait(false)).StatusCode;
            }, e => NotFoundOr(ErrorCatalog.ContainerWaitFailed, what, e), cancellationToken).ConfigureAwait(false);
            // A removal by someone else also ends the wait (the container is killed first): say so, not "exited 137".
            if (IsGone(await InspectContainerAsync(id, cancellationToken).ConfigureAwait(false)))
                throw EngineErrors.ContainerGone(id, "while the call waited for it to exit");
            return code;
        }

        private static bool IsGone(EngineContainer c) => c == null || string.Equals(c.State, "removing", StringComparison.OrdinalIgnoreCase);

        private static bool HasStopped(EngineContainer c)
            => c.State == "exited" || c.State == "dead" || c.State == "stopped";

        /// <summary>stdout and stderr, interleaved as the engine stored them. Bounded by progress: each chunk restarts the timeout.</summary>
        public Task<string> GetLogsAsync(string id, CancellationToken cancellationToken)
        {
            string what = "read the logs of container " + id;
            return _guard.RunAsync(what, async watchdog =>
            {
                var text = new StringBuilder();
                var parameters = new ContainerLogsParameters { ShowStdout = true, ShowStderr = true };
                using (MultiplexedStream stream = await _docker.Containers.GetContainerLogsAsync(id, parameters, watchdog.Token).ConfigureAwait(false))
                {
                    Decoder decoder = new UTF8Encoding(false).GetDecoder();
                    var buffer = new byte[8192];
                    var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
                    while (true)
                    {
                        watchdog.Kick();
                        MultiplexedStream.ReadResult read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, watchdog.Token).ConfigureAwait(false);
                        if (read.EOF) break;   // EOF is a read of no bytes
                        int n = decoder.GetChars(buffer, 0, read.Count, chars, 0);
                        text.Append(chars, 0, n);
                    }
                }
                return text.ToString();
            }, e => NotFoundOr(ErrorCatalog.ContainerLogsFailed, what, e), cancellationToken);
        }

        /// <summary>GET /containers/{id}/json; null when it does not exist (any more).</summary>
        public Task<EngineContainer> InspectContainerAsync(string idOrName, CancellationToken cancellationToken)
            => Send("inspect container " + idOrName, NullIfNotFound(async ct =>
            {
                ContainerInspectResponse r = await _docker.Containers.InspectContainerAsync(idOrName, ct).ConfigureAwait(false);
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
            }), ErrorCatalog.ContainerInspectFailed, cancellationToken);

        /// <summary>DELETE /containers/{id}?force=...; a container already gone is not an error.</summary>
        public Task RemoveContainerAsync(string id, bool force, CancellationToken cancellationToken)
            => Send("remove container " + id, NullIfNotFound(async ct =>
            {
                await _docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = force }, ct).ConfigureAwait(false);
                return string.Empty;
            }), ErrorCatalog.ContainerRemoveFailed, cancellationToken);

        // A request that does not stream: bounded by the timeout as a deadline.
        private Task<T> Send<T>(string what, Func<CancellationToken, Task<T>> call, ErrorKind kind, CancellationToken cancellationToken, bool notFoundIsGone = false)
            => Send(what, call, e => notFoundIsGone ? NotFoundOr(kind, what, e) : Failed(kind, what, e), cancellationToken);

        private Task<T> Send<T>(string what, Func<CancellationToken, Task<T>> call, Func<DockerApiException, Exception> engineError, CancellationToken cancellationToken)
            => _guard.RunAsync(what, watchdog => call(watchdog.Token), engineError, cancellationToken);

        // For lookups: "no such object" (or a container in the middle of its removal) is an answer (null), not an error.
        private static Func<CancellationToken, Task<T>> NullIfNotFound<T>(Func<CancellationToken, Task<T>> call) where T : class
            => async ct =>
            {
                try { return await call(ct).ConfigureAwait(false); }
                catch (DockerApiException e) when (EngineErrors.IsContainerGone(e)) { return null; }
            };

        private static Exception NotFoundOr(ErrorKind kind, string what, DockerApiException e)
            => EngineErrors.IsNotFound(e)
                ? new FailureException(ErrorCatalog.ContainerNotFound, $"The engine could not {what}: {EngineErrors.Message(e)}", e)
                : Failed(kind, what, e);

        private static FailureException Failed(ErrorKind kind, string what, DockerApiException e)
            => new FailureException(kind, $"The engine could not {what}: {EngineErrors.Message(e)}", e);

        public void Dispose() => _docker.Dispose();
    }
}
