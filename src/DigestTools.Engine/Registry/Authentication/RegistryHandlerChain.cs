using System;
using System.Net.Http;
using DigestTools.Engine.Registry.Resilience;

namespace DigestTools.Engine.Registry.Authentication
{
    /// <summary>
    /// The one place the registry client gets its handler chain from:
    /// Authentication -> Retry -> SafeRedirect -> transport.
    /// Authentication sits outside Retry so that token requests and the re-sent request after a challenge are
    /// retried too; SafeRedirect sits inside so every hop is retried and stripped of credentials on its own.
    /// </summary>
    public static class RegistryHandlerChain
    {
        /// <param name="options">Credential, RequestTimeout (per attempt), Log and Warn are used.</param>
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
            var redirects = new SafeRedirectHandler(options.Log) { InnerHandler = transport };
            var retry = new RetryHandler(retryPolicy ?? new RetryPolicy(), options.RequestTimeout, options.Log, options.Warn) { InnerHandler = redirects };
            return new RegistryAuthenticationHandler(credentials ?? CredentialSources.For(options), options.Log) { InnerHandler = retry };
        }
    }
}
