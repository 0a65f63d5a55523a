using System;
using System.Net;
using System.Net.Http;
using DigestTools.Engine.Registry.Authentication;
using DigestTools.Engine.Registry.Resilience;

namespace DigestTools.Engine.Registry
{
    /// <summary>
    /// The one place the registry client's handler chain is stacked, so the manifest logic never has to know
    /// the handlers exist: Authentication -> Retry -> SafeRedirect -> socket.
    /// Authentication sits outside Retry so that token requests and the re-sent request after a challenge are
    /// retried too; SafeRedirect sits inside so every hop is retried and stripped of credentials on its own.
    /// </summary>
    public static class RegistryHandlerChain
    {
        /// <summary>
        /// Upper bound of simultaneous connections to one registry. Above the cmdlet's per-registry
        /// concurrency (8 by default) so a token or version request never waits behind manifest requests.
        /// </summary>
        internal const int MaxConnectionsPerServer = 16;

        /// <summary>The chain over a new socket handler (<see cref="CreateTransportHandler"/>).</summary>
        public static HttpMessageHandler Create(RegistryClientOptions options) => Create(options, CreateTransportHandler());

        /// <param name="options">Credential, InsecureRegistries, RequestTimeout, Log and Warn are used.</param>
        /// <param name="transport">An HttpClientHandler/SocketsHttpHandler with AllowAutoRedirect = false.</param>
        /// <param name="credentials">Null: -Credential if set, else the Docker config (<see cref="CredentialSources.For"/>).</param>
        /// <param name="retryPolicy">Null: the defaults of <see cref="RetryPolicy"/>.</param>
        public static HttpMessageHandler Create(RegistryClientOptions options, HttpMessageHandler transport,
            ICredentialSource credentials = null, RetryPolicy retryPolicy = null)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (transport == null) throw new ArgumentNullException(nameof(transport));
            if (transport is HttpClientHandler clientHandler && clientHandler.AllowAutoRedirect)
            {
                // Automatic redirects would carry nothing we can control; SafeRedirectHandler follows them instead.
                clientHandler.AllowAutoRedirect = false;
            }
            Action<string> log = options.RedactedLog;
            options.Secrets.Add(options.Credential);
            var redirects = new SafeRedirectHandler(log) { InnerHandler = transport };
            var retry = new RetryHandler(retryPolicy ?? new RetryPolicy(), options.RequestTimeout, log, options.Warn) { InnerHandler = redirects };
            return new RegistryAuthenticationHandler(credentials ?? CredentialSources.For(options), log, options.InsecureRegistries, options.Secrets) { InnerHandler = retry };
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
