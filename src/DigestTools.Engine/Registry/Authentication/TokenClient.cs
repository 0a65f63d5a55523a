using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Registry.Resilience;

namespace DigestTools.Engine.Registry.Authentication
{
    /// <summary>
    /// Asks a token realm for a bearer token (the Docker token protocol). User and password go as Basic to
    /// the realm; an identity token goes as the OAuth refresh_token form, as Docker does. Nothing else of
    /// the registry request reaches the realm, which may be on another host.
    /// </summary>
    internal sealed class TokenClient
    {
        private static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);
        private const string ClientId = "digesttools";

        private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _send;
        private readonly Action<string> _log;

        public TokenClient(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, Action<string> log)
        {
            _send = send;
            _log = log;
        }

        public async Task<BearerToken> FetchAsync(Uri realm, string service, string scope, RegistryCredential credential,
            string registryHost, CancellationToken cancellationToken)
        {
            string realmHost = HostNames.Authority(realm);
            using (var request = BuildRequest(realm, service, scope, credential))
            {
                _log?.Invoke("Requesting a token from " + realmHost + " for " + registryHost
                    + " (service=" + (service ?? "none") + ", scope=" + (scope ?? "none") + ", " + DescribeIdentity(credential) + ")");
                using (var response = await _send(request, cancellationToken).ConfigureAwait(false))
                {
                    if (response.StatusCode == HttpStatusCode.Unauthorized || response.StatusCode == HttpStatusCode.Forbidden)
                    {
                        if (credential != null)
                            throw AuthenticationErrors.WrongCredentials(registryHost, credential,
                                "the token server " + realmHost + " answered " + (int)response.StatusCode);
                        throw AuthenticationErrors.NeedsCredentials(registryHost,
                            "its token server " + realmHost + " refused anonymous access");
                    }
                    if (!response.IsSuccessStatusCode)
                    {
                        throw AuthenticationErrors.TokenServerFailed(registryHost, realmHost,
                            "HTTP " + (int)response.StatusCode + " " + response.ReasonPhrase);
                    }
                    string body = response.Content == null ? "" : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    return Parse(body, scope, registryHost, realmHost);
                }
            }
        }

        private static HttpRequestMessage BuildRequest(Uri realm, string service, string scope, RegistryCredential credential)
        {
            bool refreshToken = credential?.IdentityToken != null;
            if (refreshToken)
            {
                var form = new List<KeyValuePair<string, string>>
                {
                    new KeyValuePair<string, string>("grant_type", "refresh_token"),
                    new KeyValuePair<string, string>("refresh_token", credential.IdentityToken),
                    new KeyValuePair<string, string>("client_id", ClientId),
                };
                if (service != null) form.Add(new KeyValuePair<string, string>("service", service));
                if (scope != null) form.Add(new KeyValuePair<string, string>("scope", scope));
                var post = new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
                RetryHandler.MarkRetryable(post);   // asking for a token changes nothing on the server
                return post;
            }

            var query = new StringBuilder(realm.Query.Length > 1 ? realm.Query.Substring(1) : string.Empty);
            if (service != null) Append(query, "service", service);
            if (scope != null) Append(query, "scope", scope);
            var builder = new UriBuilder(realm) { Query = query.ToString() };
            var get = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
            if (credential?.Username != null && credential.Password != null)
            {
                get.Headers.Authorization = BasicHeader(credential);
            }
            return get;
        }

        internal static AuthenticationHeaderValue BasicHeader(RegistryCredential credential)
            => new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(credential.Username + ":" + credential.Password)));

        private static void Append(StringBuilder query, string name, string value)
        {
            if (query.Length > 0) query.Append('&');
            query.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        private static string DescribeIdentity(RegistryCredential credential)
            => credential == null ? "anonymous"
               : credential.IdentityToken != null ? "identity token"
               : "user " + credential.Username;

        private static BearerToken Parse(string body, string scope, string registryHost, string realmHost)
        {
            string token = null;
            double? expiresIn = null;
            try
            {
                using (var document = JsonDocument.Parse(body))
                {
                    var root = document.RootElement;
                    if (root.ValueKind == JsonValueKind.Object)
                    {
                        token = ReadString(root, "token") ?? ReadString(root, "access_token");
                        if (root.TryGetProperty("expires_in", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var seconds))
                            expiresIn = seconds;
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON: reported below without echoing the body (it might carry a secret).
            }
            if (string.IsNullOrEmpty(token))
            {
                throw AuthenticationErrors.TokenServerFailed(registryHost, realmHost, "the answer carries no token");
            }
            var lifetime = expiresIn.HasValue && expiresIn.Value > 0 ? TimeSpan.FromSeconds(expiresIn.Value) : DefaultLifetime;
            // Stop using a token a little before it expires so it does not lapse in flight.
            var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, lifetime.Ticks / 4));
            return new BearerToken(token, DateTimeOffset.UtcNow + lifetime - margin, scope);
        }

        private static string ReadString(JsonElement root, string name)
            => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
