using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Registry.Authentication
{
    /// <summary>
    /// Answers registry challenges: Basic (retry once with the credential) and Bearer (token from the realm,
    /// cached per realm+service+scope and attached up front to later requests for the same repository).
    /// A refused request is answered at most once more; what is still refused becomes a
    /// RegistryAuthenticationFailed FailureException rather than a loop.
    /// Credentials are looked up lazily, on the first challenge of each registry. The version check
    /// (GET /v2/) is answered with the registry's own 401 once its challenge is learned: a 401 already
    /// proves a v2 registry, and the repository requests that follow carry the credential up front.
    /// </summary>
    public sealed class RegistryAuthenticationHandler : DelegatingHandler
    {
        private readonly ICredentialSource _credentials;
        private readonly Action<string> _log;
        private readonly IEnumerable<string> _insecureRegistries;
        private readonly SecretRedactor _secrets;
        private readonly TokenCache _tokens = new TokenCache();
        private readonly TokenClient _tokenClient;
        private readonly ConcurrentDictionary<string, AuthenticationChallenge> _challenges = new ConcurrentDictionary<string, AuthenticationChallenge>(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentDictionary<string, Lazy<Task<RegistryCredential>>> _credentialByHost = new ConcurrentDictionary<string, Lazy<Task<RegistryCredential>>>(StringComparer.OrdinalIgnoreCase);

        // Ends a credential helper still running when the client is disposed (the call is over, or was stopped).
        private readonly CancellationTokenSource _lifetime = new CancellationTokenSource();

        /// <param name="insecureRegistries">Hosts whose plain-http token realm is accepted besides loopback.</param>
        /// <param name="secrets">Receives every credential and token this handler uses, for redaction; null: a private one.</param>
        public RegistryAuthenticationHandler(ICredentialSource credentials, Action<string> log = null, IEnumerable<string> insecureRegistries = null,
            SecretRedactor secrets = null)
        {
            _secrets = secrets ?? new SecretRedactor();
            _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
            _log = log;
            _insecureRegistries = insecureRegistries;
            _tokenClient = new TokenClient((request, token) => base.SendAsync(request, token), log);
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string host = HostNames.Authority(request.RequestUri);
            string pathScope = RepositoryScope.FromRequest(request);
            var sent = await AttachKnownAuthenticationAsync(request, host, pathScope, cancellationToken).ConfigureAwait(false);

            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized) return response;
            RefuseRedirectTargetChallenge(request, response, host);

            var challenges = AuthenticationChallenge.Parse(response.Headers.TryGetValues("WWW-Authenticate", out var values) ? values : null);
            var bearer = challenges.FirstOrDefault(c => c.IsBearer);
            var basic = challenges.FirstOrDefault(c => c.IsBasic);
            if (bearer == null && basic == null)
            {
                if (challenges.Count == 0) return response;   // a 401 without a challenge: the client maps the error body
                response.Dispose();
                throw AuthenticationErrors.UnsupportedScheme(host, challenges[0].Scheme);
            }
            if (IsPing(request) && sent.Token == null && !sent.Basic)
            {
                // The version check (GET /v2/) only needs to know the registry speaks v2, which a 401 says.
                // Learn the challenge from it, as Docker does, and let the first repository request fetch the
                // one token it needs: no credential lookup and no scopeless token just for the ping.
                _challenges[host] = bearer ?? basic;
                return response;
            }
            response.Dispose();

            if (bearer != null)
            {
                return await AnswerBearerAsync(request, host, pathScope, bearer, sent, cancellationToken).ConfigureAwait(false);
            }
            return await AnswerBasicAsync(request, host, basic, sent, cancellationToken).ConfigureAwait(false);
        }

        private async Task<HttpResponseMessage> AnswerBearerAsync(HttpRequestMessage request, string host, string pathScope,
            AuthenticationChallenge challenge, Sent sent, CancellationToken cancellationToken)
        {
            _challenges[host] = challenge;
            string scope = challenge.Scope ?? pathScope;
            string key = TokenCache.Key(challenge.Realm, challenge.Service, scope);
            var credential = await GetCredentialAsync(host, cancellationToken).ConfigureAwait(false);

            // A token fetched for exactly this scope that the registry refuses for insufficient scope will not
            // get better by asking again: the account lacks access.
            if (sent.Token != null && sent.Key == key && string.Equals(challenge.Error, "insufficient_scope", StringComparison.OrdinalIgnoreCase))
            {
                throw AuthenticationErrors.Denied(host, scope, credential);
            }

            var token = await GetTokenAsync(request.RequestUri, host, challenge.Realm, challenge.Service, scope, credential, sent.Token, cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
            var retried = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (retried.StatusCode != HttpStatusCode.Unauthorized) return retried;
            RefuseRedirectTargetChallenge(request, retried, host);

            var again = AuthenticationChallenge.Parse(retried.Headers.TryGetValues("WWW-Authenticate", out var values) ? values : null)
                .FirstOrDefault(c => c.IsBearer);
            retried.Dispose();
            if (again != null && string.Equals(again.Error, "insufficient_scope", StringComparison.OrdinalIgnoreCase) || credential == null)
            {
                throw AuthenticationErrors.Denied(host, scope, credential);
            }
            throw AuthenticationErrors.WrongCredentials(host, credential, "the registry refused the token it issued"
                + (again?.Error != null ? " (" + again.Error + ")" : string.Empty));
        }

        private async Task<HttpResponseMessage> AnswerBasicAsync(HttpRequestMessage request, string host,
            AuthenticationChallenge challenge, Sent sent, CancellationToken cancellationToken)
        {
            _challenges[host] = challenge;
            var credential = await GetCredentialAsync(host, cancellationToken).ConfigureAwait(false);
            if (credential == null || credential.Password == null)
            {
                throw AuthenticationErrors.NeedsCredentials(host, credential == null
                    ? "checked -Credential and the Docker config"
                    : "an identity token cannot answer a Basic challenge");
            }
            if (sent.Basic)
            {
                throw AuthenticationErrors.WrongCredentials(host, credential, "HTTP 401");
            }
            request.Headers.Authorization = TokenClient.BasicHeader(credential);
            var retried = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (retried.StatusCode == HttpStatusCode.Unauthorized)
            {
                RefuseRedirectTargetChallenge(request, retried, host);
                retried.Dispose();
                throw AuthenticationErrors.WrongCredentials(host, credential, "HTTP 401");
            }
            return retried;
        }

        // Saves a round trip per request once a registry's scheme is known: attach Basic, or a token for the
        // repository (fetching it now if needed, shared with every concurrent request of the same scope).
        private async Task<Sent> AttachKnownAuthenticationAsync(HttpRequestMessage request, string host, string pathScope, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = null;   // this handler alone decides what a registry gets
            if (!_challenges.TryGetValue(host, out var known)) return default(Sent);

            if (known.IsBasic)
            {
                var credential = await GetCredentialAsync(host, cancellationToken).ConfigureAwait(false);
                if (credential?.Password == null) return default(Sent);
                request.Headers.Authorization = TokenClient.BasicHeader(credential);
                return new Sent { Basic = true };
            }

            string key = TokenCache.Key(known.Realm, known.Service, pathScope);
            var token = _tokens.TryGetValid(key);
            if (token == null && pathScope != null)
            {
                var credential = await GetCredentialAsync(host, cancellationToken).ConfigureAwait(false);
                token = await GetTokenAsync(request.RequestUri, host, known.Realm, known.Service, pathScope, credential, null, cancellationToken).ConfigureAwait(false);
            }
            if (token == null) return default(Sent);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
            return new Sent { Token = token, Key = key };
        }

        // A 401 that arrives after a redirect to another origin (a CDN, an object store, an open redirect) is
        // that origin's challenge, not the registry's: the registry's credentials answer only the registry
        // itself, as in containerd. DigestTools does not answer a redirect target's challenge at all.
        private static void RefuseRedirectTargetChallenge(HttpRequestMessage request, HttpResponseMessage response, string host)
        {
            Uri answeredBy = response.RequestMessage?.RequestUri;
            if (answeredBy == null || HostNames.SameOrigin(answeredBy, request.RequestUri)) return;
            response.Dispose();
            throw AuthenticationErrors.RedirectTargetChallenged(host, request.RequestUri.AbsolutePath, answeredBy);
        }

        private static bool IsPing(HttpRequestMessage request)
        {
            string path = request.RequestUri.AbsolutePath;
            return (path == "/v2/" || path == "/v2") && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head);
        }

        private Task<BearerToken> GetTokenAsync(Uri registryUri, string host, string realm, string service, string scope,
            RegistryCredential credential, BearerToken rejected, CancellationToken cancellationToken)
        {
            var realmUri = TokenRealmPolicy.Validate(realm, registryUri, _insecureRegistries);
            string key = TokenCache.Key(realm, service, scope);
            return _tokens.GetAsync(key, rejected, async () =>
            {
                var token = await _tokenClient.FetchAsync(realmUri, service, scope, credential, host, cancellationToken).ConfigureAwait(false);
                _secrets.Add(token.Value);
                return token;
            });
        }

        private async Task<RegistryCredential> GetCredentialAsync(string host, CancellationToken cancellationToken)
        {
            // Once per registry and client: a credential helper is a process, not something to run per request. The
            // run is shared by every request of the call, so it is bounded by the helper's own deadline and the
            // client's life, not by the deadline of whichever request asked first: each request waits only as long
            // as its own token allows, and a deadline that passes is that request's timeout, not a stopped helper.
            var lazy = _credentialByHost.GetOrAdd(host, h => new Lazy<Task<RegistryCredential>>(
                () => Task.Run(() =>
                {
                    var credential = _credentials.GetCredential(h, _lifetime.Token);
                    _secrets.Add(credential);
                    return credential;
                })));
            Task<RegistryCredential> run = lazy.Value;
            if (!run.IsCompleted)
            {
                var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
                    await Task.WhenAny(run, cancelled.Task).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
            return await run.ConfigureAwait(false);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _lifetime.Cancel();
            }
            base.Dispose(disposing);
        }

        private struct Sent
        {
            public bool Basic;
            public BearerToken Token;
            public string Key;
        }
    }
}
