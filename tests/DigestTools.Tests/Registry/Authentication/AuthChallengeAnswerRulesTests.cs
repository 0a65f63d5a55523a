using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using System.Web;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
using DigestTools.Tests.Support;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// RegistryAuthenticationHandler against challenges the test registries do not send (AuthBasicTests and AuthTokenTests run
    /// the real Basic and Bearer flows): a scheme it cannot answer, a 401 without any challenge, a Basic challenge met by an
    /// identity token; a challenge naming another scope than the path, or insufficient_scope before any token; the version
    /// check sent as HEAD, or after the challenge is known.
    /// </summary>
    public sealed class AuthChallengeAnswerRulesTests
    {
        private const string Url = "http://reg.example:5000/v2/app/manifests/v1";
        private readonly List<HttpRequestMessage> _sent = new List<HttpRequestMessage>();

        private Task<HttpResponseMessage> Send(RegistryCredential credential, params string[] challenges)
        {
            var handler = new RegistryAuthenticationHandler(new ExplicitCredentialSource(credential))
            {
                InnerHandler = new ScriptedHandler(r =>
                {
                    _sent.Add(r);
                    var response = new HttpResponseMessage(HttpStatusCode.Unauthorized) { RequestMessage = r };
                    foreach (string challenge in challenges) response.Headers.TryAddWithoutValidation("WWW-Authenticate", challenge);
                    return response;
                }),
            };
            return new HttpMessageInvoker(handler).SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), CancellationToken.None);
        }

        [Fact]
        public async Task AChallengeOfAnotherSchemeOnlyIsAnErrorNamingIt()
        {
            var e = await Assert.ThrowsAsync<FailureException>(() => Send(new RegistryCredential("alice", "pw"), "Negotiate abc==", "NTLM"));
            Assert.Same(ErrorCatalog.RegistryAuthenticationFailed, e.Kind);
            Assert.Equal("reg.example:5000 asks for the unsupported authentication scheme 'Negotiate' (only Basic and Bearer are supported).", e.Message);
            Assert.Single(_sent);
        }

        [Fact]
        public async Task A401WithoutAnyChallengeIsHandedOnForItsErrorBody()
        {
            using (var response = await Send(new RegistryCredential("alice", "pw")))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }
            Assert.Single(_sent);
        }

        [Fact]
        public async Task AnIdentityTokenCannotAnswerABasicChallenge()
        {
            var e = await Assert.ThrowsAsync<FailureException>(() => Send(new RegistryCredential("alice", null, "id-token"), "Basic realm=\"r\""));
            Assert.Same(ErrorCatalog.RegistryAuthenticationFailed, e.Kind);
            Assert.Equal("reg.example:5000 requires authentication and no credentials were found for it (an identity token cannot answer a Basic challenge)."
                + " Pass -Credential, or run docker login reg.example:5000.", e.Message);
            Assert.Single(_sent);
        }

        private const string Realm = "https://auth.example/token";
        private readonly List<string> _tokenScopes = new List<string>();
        private readonly List<string> _authorizations = new List<string>();   // of each registry request, as it was sent

        // reg.example:5000 as a bearer registry with its token endpoint at Realm. The endpoint issues "T:<scope>" for the scope
        // it is asked (none: "T:"); the registry lets a request through with the token for scopeFor(request) and otherwise
        // answers 401 with the challenge naming that scope (and errorFor(request), if any).
        private HttpMessageInvoker BearerRegistry(Func<HttpRequestMessage, string> scopeFor, Func<HttpRequestMessage, string> errorFor = null)
        {
            var handler = new RegistryAuthenticationHandler(new ExplicitCredentialSource(new RegistryCredential("alice", "pw")))
            {
                InnerHandler = new ScriptedHandler(r =>
                {
                    if (r.RequestUri.AbsoluteUri.StartsWith(Realm, StringComparison.Ordinal))
                    {
                        string asked = HttpUtility.ParseQueryString(r.RequestUri.Query)["scope"];
                        _tokenScopes.Add(asked);
                        return new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = r, Content = new StringContent("{\"token\":\"T:" + asked + "\"}") };
                    }
                    _sent.Add(r);
                    _authorizations.Add(r.Headers.Authorization?.ToString());
                    string scope = scopeFor(r), error = errorFor?.Invoke(r);
                    if (r.Headers.Authorization?.Parameter == "T:" + scope) return new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = r };
                    var refused = new HttpResponseMessage(HttpStatusCode.Unauthorized) { RequestMessage = r };
                    refused.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer realm=\"" + Realm + "\",service=\"reg\""
                        + (scope == null ? "" : ",scope=\"" + scope + "\"") + (error == null ? "" : ",error=\"" + error + "\""));
                    return refused;
                }),
            };
            return new HttpMessageInvoker(handler);
        }

        private static string PullOfThePath(HttpRequestMessage request) => RepositoryScope.FromRequest(request);

        [Fact]
        public async Task TheTokenIsAskedForTheScopeTheChallengeNamesNotThePathsOwn()
        {
            // A registry may ask for more than the path's pull scope (here push as well): that is the token it will accept.
            using (var response = await BearerRegistry(r => "repository:app:pull,push").SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), CancellationToken.None))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            Assert.Equal(new[] { "repository:app:pull,push" }, _tokenScopes);
        }

        [Fact]
        public async Task AFirstChallengeSayingInsufficientScopeIsStillAnsweredWithAToken()
        {
            // Some registries put error="insufficient_scope" on the very first challenge, before any token was sent.
            var registry = BearerRegistry(PullOfThePath, r => r.Headers.Authorization == null ? "insufficient_scope" : null);
            using (var response = await registry.SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), CancellationToken.None))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            Assert.Equal(new[] { "repository:app:pull" }, _tokenScopes);
        }

        [Fact]
        public async Task ATokenSentUpFrontIsReplacedWhenTheRegistryAsksForAnotherScope()
        {
            // The first request's token is attached up front to the second; the registry wants more for that one and says
            // insufficient_scope: a token for the scope it names is fetched, not an access-denied error for the one sent.
            var registry = BearerRegistry(r => r.RequestUri.AbsolutePath.EndsWith("/v2", StringComparison.Ordinal) ? "repository:app:pull,push" : "repository:app:pull",
                r => r.Headers.Authorization == null ? null : "insufficient_scope");
            using (var first = await registry.SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), CancellationToken.None))
                Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            using (var second = await registry.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://reg.example:5000/v2/app/manifests/v2"), CancellationToken.None))
                Assert.Equal(HttpStatusCode.OK, second.StatusCode);
            Assert.Equal(new[] { "repository:app:pull", "repository:app:pull,push" }, _tokenScopes);
            Assert.Equal(new[] { null, "Bearer T:repository:app:pull", "Bearer T:repository:app:pull", "Bearer T:repository:app:pull,push" }, _authorizations);
        }

        [Theory]
        [InlineData("GET", "http://reg.example:5000/v2/")]
        [InlineData("HEAD", "http://reg.example:5000/v2/")]
        [InlineData("GET", "http://reg.example:5000/v2")]
        public async Task TheVersionCheckLearnsTheChallengeWithoutAToken(string method, string url)
        {
            var registry = BearerRegistry(PullOfThePath);
            using (var response = await registry.SendAsync(new HttpRequestMessage(new HttpMethod(method), url), CancellationToken.None))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }
            Assert.Empty(_tokenScopes);
            Assert.Single(_sent);
        }

        [Fact]
        public async Task AVersionCheckAfterTheChallengeIsKnownFetchesNoScopelessToken()
        {
            var registry = BearerRegistry(PullOfThePath);
            using (var manifest = await registry.SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), CancellationToken.None))
                Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
            using (var ping = await registry.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://reg.example:5000/v2/"), CancellationToken.None))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, ping.StatusCode);
                Assert.Null(ping.RequestMessage.Headers.Authorization);
            }
            Assert.Equal(new[] { "repository:app:pull" }, _tokenScopes);
        }

        [Fact]
        public async Task ABasicChallengeWithoutAnyCredentialSaysWhereItLooked()
        {
            var e = await Assert.ThrowsAsync<FailureException>(() => Send(null, "Basic realm=\"r\""));
            Assert.Same(ErrorCatalog.RegistryAuthenticationFailed, e.Kind);
            Assert.Equal("reg.example:5000 requires authentication and no credentials were found for it (checked -Credential and the Docker config)."
                + " Pass -Credential, or run docker login reg.example:5000.", e.Message);
            Assert.Single(_sent);
        }

        [Fact]
        public async Task TheCallersRedactorLearnsTheCredentialTheHandlerLookedUp()
        {
            // RegistryClient masks registry text with this redactor; a credential from the Docker config or a helper reaches
            // it only through the handler.
            var redactor = new SecretRedactor();
            var handler = new RegistryAuthenticationHandler(new ExplicitCredentialSource(new RegistryCredential("alice", "pw-from-config")), secrets: redactor)
            {
                InnerHandler = new ScriptedHandler(r =>
                {
                    var response = new HttpResponseMessage(r.Headers.Authorization == null ? HttpStatusCode.Unauthorized : HttpStatusCode.OK) { RequestMessage = r };
                    response.Headers.TryAddWithoutValidation("WWW-Authenticate", "Basic realm=\"r\"");
                    return response;
                }),
            };
            using (var response = await new HttpMessageInvoker(handler).SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), CancellationToken.None))
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("echo " + SecretRedactor.Mask + " and Basic " + SecretRedactor.Mask,
                redactor.Redact("echo pw-from-config and Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("alice:pw-from-config"))));
        }

        [Fact]
        public void ACredentialSourceIsRequired()
            => Assert.Equal("credentials", Assert.Throws<ArgumentNullException>(() => new RegistryAuthenticationHandler(null)).ParamName);
    }
}
