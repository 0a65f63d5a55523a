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
    /// is never redirected to plain http. The method and body follow HttpClient's rules: 307 and 308 repeat
    /// the request with its body (only to the same origin: a token request's body holds the identity token),
    /// 301 and 302 turn a POST into a GET, 303 turns every method but HEAD into a GET; a GET carries no body.
    /// </summary>
    public sealed class SafeRedirectHandler : DelegatingHandler
    {
        public const int MaxRedirects = 5;
        private readonly Action<string> _log;

        public SafeRedirectHandler(Action<string> log = null) => _log = log;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // A 307 or 308 asks for the body again after it was sent: buffered now, so a stream can be read twice.
            if (request.Content != null) await request.Content.LoadIntoBufferAsync().ConfigureAwait(false);
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
                var method = MethodAfter(current.Method, response.StatusCode);
                bool withBody = current.Content != null && method == current.Method;
                if (withBody && !HostNames.SameOrigin(current.RequestUri, target))
                {
                    response.Dispose();
                    throw new FailureException(ErrorCatalog.RegistryInsecureRedirect, from + " redirected " + request.Method + " " + request.RequestUri.AbsolutePath + " to "
                        + HostNames.Authority(target) + ", another origin; a request body (it may hold a credential) is sent again only to the same scheme, host and port.");
                }
                var next = await FollowAsync(current, target, method, withBody).ConfigureAwait(false);
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

        // HttpClient's choice: 303 continues as GET (a HEAD stays HEAD), 301 and 302 turn a POST into GET,
        // anything else keeps the method.
        private static HttpMethod MethodAfter(HttpMethod method, HttpStatusCode status)
        {
            int code = (int)status;
            if (code == 303 && method != HttpMethod.Head) return HttpMethod.Get;
            if ((code == 301 || code == 302) && method == HttpMethod.Post) return HttpMethod.Get;
            return method;
        }

        private static async Task<HttpRequestMessage> FollowAsync(HttpRequestMessage previous, Uri target, HttpMethod method, bool withBody)
        {
            var next = new HttpRequestMessage(method, target) { Version = previous.Version };
            if (withBody)
            {
                // A copy of its own: each hop's request is disposed with its content, and the caller keeps the first.
                next.Content = new ByteArrayContent(await previous.Content.ReadAsByteArrayAsync().ConfigureAwait(false));
                foreach (var header in previous.Content.Headers) next.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
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
