using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Registry.Authentication
{
    /// <summary>
    /// Follows redirects itself (the transport must have AllowAutoRedirect=false) so that the Authorization
    /// header never reaches another host: blob and manifest redirects often point at a CDN or object store.
    /// Same scheme+host+port keeps the header; anything else gets a request without it. An https request
    /// is never redirected to plain http.
    /// </summary>
    public sealed class SafeRedirectHandler : DelegatingHandler
    {
        public const int MaxRedirects = 5;
        private readonly Action<string> _log;

        public SafeRedirectHandler(Action<string> log = null) => _log = log;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var current = request;
            for (int hop = 0; IsRedirect(response.StatusCode) && response.Headers.Location != null; hop++)
            {
                string from = HostNames.Authority(current.RequestUri);
                if (hop >= MaxRedirects)
                {
                    response.Dispose();
                    throw new FailureException(ErrorCatalog.RegistryTooManyRedirects, from + " redirected more than " + MaxRedirects + " times for " + request.RequestUri.AbsolutePath + ".");
                }
                var target = response.Headers.Location.IsAbsoluteUri ? response.Headers.Location : new Uri(current.RequestUri, response.Headers.Location);
                if (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps
                    || current.RequestUri.Scheme == Uri.UriSchemeHttps && target.Scheme == Uri.UriSchemeHttp)
                {
                    response.Dispose();
                    throw new FailureException(ErrorCatalog.RegistryInsecureRedirect, from + " redirected " + request.RequestUri.AbsolutePath + " to a " + target.Scheme + " URL on "
                        + HostNames.Authority(target) + "; only https (or http from an http registry) is followed.");
                }
                var next = Follow(current, target, response.StatusCode);
                response.Dispose();
                _log?.Invoke("Following a redirect from " + from + " to " + HostNames.Authority(target)
                    + (next.Headers.Authorization == null && current.Headers.Authorization != null ? " (without credentials)" : string.Empty));
                if (!ReferenceEquals(current, request)) current.Dispose();
                current = next;
                response = await base.SendAsync(current, cancellationToken).ConfigureAwait(false);
            }
            return response;
        }

        private static bool IsRedirect(HttpStatusCode status)
        {
            int code = (int)status;
            return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
        }

        private static HttpRequestMessage Follow(HttpRequestMessage previous, Uri target, HttpStatusCode status)
        {
            // A 303 continues as GET (a HEAD stays HEAD); the other codes keep the method. No body is carried: the
            // manifest and blob requests that meet redirects have none.
            var method = previous.Method;
            if ((int)status == 303 && method != HttpMethod.Head) method = HttpMethod.Get;
            var next = new HttpRequestMessage(method, target) { Version = previous.Version };
            bool sameOrigin = HostNames.SameOrigin(previous.RequestUri, target);
            foreach (var header in previous.Headers)
            {
                if (!sameOrigin && (string.Equals(header.Key, "Authorization", StringComparison.OrdinalIgnoreCase)
                                    || string.Equals(header.Key, "Cookie", StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }
                next.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
#pragma warning disable CS0618 // Properties: the only per-request bag on netstandard2.0
            foreach (var property in previous.Properties) next.Properties[property.Key] = property.Value;
#pragma warning restore CS0618
            return next;
        }
    }
}
