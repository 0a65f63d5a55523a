using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Registry
{
    /// <summary>
    /// Sends one registry request over the client's single HttpClient (one connection pool, keep-alive)
    /// and turns transport failures into RegistryUnreachable / RegistryTimeout.
    /// </summary>
    internal sealed class RegistryTransport : IDisposable
    {
        /// <summary>Manifests are at most 4 MiB (containerd's limit); anything larger is refused, not buffered.</summary>
        internal const int MaxManifestBytes = 4 * 1024 * 1024;

        private const string DigestHeader = "Docker-Content-Digest";

        private readonly HttpClient _http;
        private readonly ILogger _log;

        internal RegistryTransport(HttpMessageHandler handler, ILogger log)
        {
            _http = CreateHttpClient(handler);
            _log = log;
        }

        /// <summary>
        /// The one HttpClient: no timeout of its own (the per-attempt timeout is in the RetryHandler, and the
        /// reference's deadline in the caller's token; a default 100 s here would cut long Retry-After waits short).
        /// </summary>
        internal static HttpClient CreateHttpClient(HttpMessageHandler handler)
            => new HttpClient(handler, disposeHandler: true)
            {
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
                MaxResponseContentBufferSize = MaxManifestBytes,
            };

        internal async Task<RegistryResponse> SendAsync(HttpMethod method, Uri uri, string accept, string registry, CancellationToken cancellationToken)
        {
            _log.LogInformation("{Method} {Uri}", method.Method, uri);
            using (var request = new HttpRequestMessage(method, uri))
            {
                if (accept != null) request.Headers.TryAddWithoutValidation("Accept", accept);
                // The per-attempt timeout lives in the RetryHandler below us, which also reads the body
                // inside it; a second, outer timeout here would cut its backoff and Retry-After waits short.
                try
                {
                    using (HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false))
                    {
                        RegistryResponse result = Copy(response);
                        if (method != HttpMethod.Head)
                        {
                            result.Body = await Resilience.BoundedBody.ReadAsync(response, MaxManifestBytes, cancellationToken).ConfigureAwait(false);
                        }
                        _log.LogInformation("{Method} {Uri}: {Status} {Reason}{Digest}", method.Method, uri, (int)result.StatusCode, result.ReasonPhrase,
                            result.ContentDigest == null ? string.Empty : " " + result.ContentDigest);
                        return result;
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new FailureException(ErrorCatalog.RegistryTimeout, $"{registry} did not answer {method.Method} {uri.AbsolutePath} in time.");
                }
                catch (HttpRequestException e)
                {
                    throw new FailureException(ErrorCatalog.RegistryUnreachable, $"Cannot reach registry {registry}{Via(registry, uri)}: {Innermost(e).Message}", e);
                }
            }
        }

        private static RegistryResponse Copy(HttpResponseMessage response)
        {
            var result = new RegistryResponse
            {
                StatusCode = response.StatusCode,
                ReasonPhrase = response.ReasonPhrase,
                ContentDigest = First(response.Headers, DigestHeader) ?? First(response.Content?.Headers, DigestHeader),
                MediaType = ManifestMediaTypes.Strip(response.Content?.Headers.ContentType?.ToString()),
                ContentLength = response.Content?.Headers.ContentLength,
                RateLimitLimit = RateLimitHeader.Read(response.Headers, RateLimitHeader.LimitName),
                RateLimitRemaining = RateLimitHeader.Read(response.Headers, RateLimitHeader.RemainingName),
            };
            return result;
        }

        private static string First(System.Net.Http.Headers.HttpHeaders headers, string name)
            => headers != null && headers.TryGetValues(name, out IEnumerable<string> values) ? values.FirstOrDefault()?.Trim() : null;

        // Docker Hub's names are served by another host: say which one was tried. A registry written with
        // its scheme's default port ("host:443") is the same host, so it gets no suffix either.
        private static string Via(string registry, Uri uri)
        {
            bool sameHost = string.Equals(registry, uri.Host + ":" + uri.Port, StringComparison.OrdinalIgnoreCase)
                || (uri.IsDefaultPort && string.Equals(registry, uri.Host, StringComparison.OrdinalIgnoreCase));
            return sameHost ? string.Empty : " (" + uri.Authority + ")";
        }

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }

        public void Dispose() => _http.Dispose();
    }
}
