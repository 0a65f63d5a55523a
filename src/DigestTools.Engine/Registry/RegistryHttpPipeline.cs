using System.Net;
using System.Net.Http;

namespace DigestTools.Engine.Registry
{
    /// <summary>
    /// Builds the handler chain under a RegistryClient's HttpClient. The one place where authentication
    /// and retry handlers (DelegatingHandlers) are stacked on top of the socket handler, so the manifest
    /// logic never has to know they exist.
    /// </summary>
    internal static class RegistryHttpPipeline
    {
        /// <summary>
        /// Upper bound of simultaneous connections to one registry. Above the cmdlet's per-registry
        /// concurrency (8 by default) so a token or version request never waits behind manifest requests.
        /// </summary>
        internal const int MaxConnectionsPerServer = 16;

        internal static HttpMessageHandler Create(RegistryClientOptions options)
        {
            // Authentication -> Retry -> SafeRedirect -> socket: token requests and re-sends after a 401
            // are retried too, and every redirect hop is stripped of credentials on its own.
            return Authentication.RegistryHandlerChain.Create(options, CreateTransportHandler());
        }

        /// <summary>
        /// The socket handler: no automatic redirects (credentials must never follow a redirect to another
        /// host, so redirects are decided above this handler), no cookies, no decompression (digests are
        /// computed over the bytes exactly as the registry sent them).
        /// </summary>
        internal static HttpClientHandler CreateTransportHandler()
            => new HttpClientHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.None,
                MaxConnectionsPerServer = MaxConnectionsPerServer,
            };
    }
}
