using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Registry
{
    /// <summary>
    /// GET /v2/ once per registry per client: 200 or 401 (an auth challenge) mean a v2 registry. A 404 there
    /// comes from a v1-only registry (which we do not speak) or from a server that is no registry at all:
    /// /v1/_ping tells them apart, so the error names the true cause. Every resolution against that registry
    /// shares the one answer, including a failure, so 200 references to a dead registry fail once, fast.
    /// </summary>
    internal sealed class RegistryVersionCheck
    {
        private readonly ConcurrentDictionary<string, Lazy<Task>> _checks = new ConcurrentDictionary<string, Lazy<Task>>(StringComparer.OrdinalIgnoreCase);
        private readonly RegistryTransport _transport;
        private readonly CancellationToken _clientLifetime;

        internal RegistryVersionCheck(RegistryTransport transport, CancellationToken clientLifetime)
        {
            _transport = transport;
            _clientLifetime = clientLifetime;
        }

        internal Task EnsureAsync(RegistryEndpoint endpoint, CancellationToken cancellationToken)
        {
            // Run under the client's lifetime, not the first caller's token: one caller giving up must not
            // fail the shared check for the others. Each caller still stops waiting when its own token trips.
            Task check = _checks.GetOrAdd(endpoint.BaseUri.AbsoluteUri, _ => new Lazy<Task>(() => CheckAsync(endpoint))).Value;
            return SharedTaskWait.WaitAsync(check, cancellationToken);
        }

        private async Task CheckAsync(RegistryEndpoint endpoint)
        {
            RegistryResponse response = await _transport.SendAsync(HttpMethod.Get, endpoint.VersionCheckUri, null, endpoint.Registry, _clientLifetime).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.NotFound) return;
            RegistryResponse v1 = await _transport.SendAsync(HttpMethod.Get, new Uri(endpoint.BaseUri, "v1/_ping"), null, endpoint.Registry, _clientLifetime).ConfigureAwait(false);
            if (v1.IsSuccess)
                throw new FailureException(ErrorCatalog.RegistryV1Unsupported, $"{endpoint.Registry} speaks only the retired registry API v1 (GET /v2/ answered 404, /v1/_ping answered {(int)v1.StatusCode}): it is not supported.");
            throw new FailureException(ErrorCatalog.RegistryProtocolError,
                $"{endpoint.Registry} is not a container registry: GET /v2/ answered 404 and /v1/_ping answered {(int)v1.StatusCode}. Check the host and port in the reference.");
            // Anything else (200, 401, even a 5xx) lets the manifest request speak for itself.
        }
    }
}
