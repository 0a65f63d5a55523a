using System;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet.Handler.Abstractions;

namespace DigestTools.Engine.Docker
{
    /// <summary>
    /// What an engine says about itself in the headers of its GET /_ping reply: Api-Version (the newest API it
    /// speaks) and Server ("Docker/20.10.24 (linux)", "Libpod/4.3.1 (linux)"). That is enough to negotiate with
    /// Docker and Podman without GET /version, which Podman answers slowly: it runs its helper programs and the
    /// package manager for their versions on every call (measured 0.4-0.7 s on a quiet 2-core machine, seconds
    /// under load; its /_ping answers in under a millisecond).
    /// Docker.DotNet's PingAsync returns no headers, so this reads them on the way: it is the client's auth
    /// provider, which is handed the transport's handler to configure, and wraps that handler (after the TLS
    /// provider, when there is one, has configured it).
    /// </summary>
    internal sealed class EnginePingHeaders : IAuthProvider
    {
        private readonly IAuthProvider _inner;
        private string _apiVersion;
        private string _server;

        internal EnginePingHeaders(IAuthProvider inner) => _inner = inner;

        public bool TlsEnabled => _inner != null && _inner.TlsEnabled;

        public HttpMessageHandler ConfigureHandler(HttpMessageHandler handler)
            => new Reader(this, _inner == null ? handler : _inner.ConfigureHandler(handler));

        /// <summary>
        /// The daemon's API version and product ("Docker Engine 20.10.24", "Podman Engine 4.3.1", as GET /version
        /// would give them) when the last reply named both and came from Docker or Podman; false otherwise.
        /// </summary>
        internal bool TryIdentify(out string apiVersion, out string product)
        {
            apiVersion = _apiVersion;
            product = ProductFromServer(_server);
            return !string.IsNullOrWhiteSpace(apiVersion) && product != null;
        }

        // "Docker/20.10.24+dfsg1 (linux)" -> "Docker Engine 20.10.24+dfsg1"; "Libpod/4.3.1 (linux)" -> "Podman Engine 4.3.1".
        internal static string ProductFromServer(string server)
        {
            if (string.IsNullOrWhiteSpace(server)) return null;
            string token = server.Trim().Split(' ')[0];
            int slash = token.IndexOf('/');
            if (slash <= 0 || slash == token.Length - 1) return null;
            string version = token.Substring(slash + 1);
            switch (token.Substring(0, slash))
            {
                case "Docker": return "Docker Engine " + version;
                case "Libpod": return "Podman Engine " + version;
                default: return null;
            }
        }

        private static string Single(HttpResponseHeaders headers, string name)
            => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

        private sealed class Reader : DelegatingHandler
        {
            private readonly EnginePingHeaders _owner;

            internal Reader(EnginePingHeaders owner, HttpMessageHandler inner) : base(inner) => _owner = owner;

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                _owner._apiVersion = Single(response.Headers, "Api-Version");
                _owner._server = Single(response.Headers, "Server");
                return response;
            }
        }
    }
}
