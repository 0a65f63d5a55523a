using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// The token request and the reading of its answer, against scripted answers a real token server does not
    /// give on demand (no token, not JSON, odd lifetimes, refusals). The happy paths run against the test token
    /// server in AuthTokenTests.
    /// </summary>
    public sealed class AuthTokenClientTests
    {
        private static readonly Uri Realm = new Uri("https://auth.example/token?client=dt");
        private readonly List<HttpRequestMessage> _sent = new List<HttpRequestMessage>();
        private readonly List<string> _form = new List<string>();
        private readonly List<string> _log = new List<string>();

        private TokenClient Client(HttpStatusCode status, string body)
            => new TokenClient(async (request, _) =>
            {
                _sent.Add(request);
                if (request.Content != null) _form.Add(await request.Content.ReadAsStringAsync());
                return new HttpResponseMessage(status) { Content = body == null ? null : new StringContent(body, Encoding.UTF8, "application/json"), ReasonPhrase = "Reason" };
            }, _log.Add);

        private Task<BearerToken> Fetch(TokenClient client, RegistryCredential credential = null, string service = "reg", string scope = "repository:a:pull")
            => client.FetchAsync(Realm, service, scope, credential, "reg.example", CancellationToken.None);

        [Fact]
        public async Task APasswordGoesAsBasicOnAGetWithServiceAndScopeAddedToTheRealmsQuery()
        {
            BearerToken token = await Fetch(Client(HttpStatusCode.OK, "{\"token\":\"t1\"}"), new RegistryCredential("alice", "pw"));
            HttpRequestMessage request = Assert.Single(_sent);
            Assert.Equal(HttpMethod.Get, request.Method);
            Assert.Equal("https://auth.example/token?client=dt&service=reg&scope=repository%3Aa%3Apull", request.RequestUri.AbsoluteUri);
            Assert.Equal("Basic", request.Headers.Authorization.Scheme);
            Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:pw")), request.Headers.Authorization.Parameter);
            Assert.Equal("t1", token.Value);
            Assert.Equal("repository:a:pull", token.Scope);
            Assert.Equal(new[] { "Requesting a token from auth.example for reg.example (service=reg, scope=repository:a:pull, user alice)" }, _log);
        }

        [Fact]
        public async Task AnonymousSendsNoAuthorizationAndNoServiceOrScopeWhenThereAreNone()
        {
            Assert.Equal("t2", (await Fetch(Client(HttpStatusCode.OK, "{\"access_token\":\"t2\"}"), null, null, null)).Value);
            HttpRequestMessage request = Assert.Single(_sent);
            Assert.Null(request.Headers.Authorization);
            Assert.Equal("https://auth.example/token?client=dt", request.RequestUri.AbsoluteUri);
            Assert.Equal(new[] { "Requesting a token from auth.example for reg.example (service=none, scope=none, anonymous)" }, _log);
        }

        [Fact]
        public async Task ARealmWithoutAQueryGetsOnlyServiceAndScope()
        {
            var client = Client(HttpStatusCode.OK, "{\"token\":\"t\"}");
            await client.FetchAsync(new Uri("https://auth.example/token"), null, "repository:a:pull", null, "reg.example", CancellationToken.None);
            Assert.Equal("https://auth.example/token?scope=repository%3Aa%3Apull", Assert.Single(_sent).RequestUri.AbsoluteUri);
        }

        [Fact]
        public async Task AUserWithoutAPasswordSendsNoBasicHeader()
        {
            await Fetch(Client(HttpStatusCode.OK, "{\"token\":\"t\"}"), new RegistryCredential("alice", null));
            Assert.Null(Assert.Single(_sent).Headers.Authorization);
        }

        [Fact]
        public async Task AnIdentityTokenGoesAsTheRefreshTokenGrantInARetryablePost()
        {
            await Fetch(Client(HttpStatusCode.OK, "{\"token\":\"t\"}"), new RegistryCredential("<token>", null, "it-1"));
            HttpRequestMessage request = Assert.Single(_sent);
            Assert.Equal(HttpMethod.Post, request.Method);
            Assert.Null(request.Headers.Authorization);
            Assert.Equal("grant_type=refresh_token&refresh_token=it-1&client_id=digesttools&service=reg&scope=repository%3Aa%3Apull", Assert.Single(_form));
#pragma warning disable CS0618
            Assert.True(request.Properties.ContainsKey("DigestTools.Retryable"));
#pragma warning restore CS0618
            Assert.EndsWith("identity token)", Assert.Single(_log));
        }

        [Fact]
        public async Task AnIdentityTokenWithoutServiceOrScopeSendsNeither()
        {
            await Fetch(Client(HttpStatusCode.OK, "{\"token\":\"t\"}"), new RegistryCredential(null, null, "it-1"), null, null);
            Assert.Equal("grant_type=refresh_token&refresh_token=it-1&client_id=digesttools", Assert.Single(_form));
        }

        [Theory]
        [InlineData(HttpStatusCode.Unauthorized, "401")]
        [InlineData(HttpStatusCode.Forbidden, "403")]
        public async Task ARefusalOfCredentialsNamesTheUserAndTheStatus(HttpStatusCode status, string code)
        {
            var e = await Assert.ThrowsAsync<FailureException>(() => Fetch(Client(status, null), new RegistryCredential("alice", "pw")));
            Assert.Same(ErrorCatalog.RegistryAuthenticationFailed, e.Kind);
            Assert.Equal("reg.example rejected the credentials of user 'alice': the token server auth.example answered " + code
                + ". Check the password (-Credential) or run docker login reg.example again.", e.Message);
        }

        [Fact]
        public async Task ARefusalOfAnonymousAccessAsksForCredentials()
        {
            var e = await Assert.ThrowsAsync<FailureException>(() => Fetch(Client(HttpStatusCode.Forbidden, null)));
            Assert.Equal("reg.example requires authentication and no credentials were found for it (its token server auth.example refused anonymous access)."
                + " Pass -Credential, or run docker login reg.example.", e.Message);
        }

        [Fact]
        public async Task AnotherFailureIsTokenServerFailedWithTheStatus()
        {
            var e = await Assert.ThrowsAsync<FailureException>(() => Fetch(Client(HttpStatusCode.BadGateway, "{\"token\":\"t\"}")));
            Assert.Same(ErrorCatalog.RegistryAuthenticationFailed, e.Kind);
            Assert.Equal("The token server auth.example of reg.example failed: HTTP 502 Reason.", e.Message);
        }

        [Theory]
        [InlineData("not json at all s3cr3t")]
        [InlineData("[\"token\"]")]
        [InlineData("{\"token\":\"\"}")]
        [InlineData("{\"token\":7}")]
        [InlineData("{}")]
        [InlineData(null)]
        public async Task AnAnswerWithoutATokenIsTokenServerFailedWithoutQuotingIt(string body)
        {
            var e = await Assert.ThrowsAsync<FailureException>(() => Fetch(Client(HttpStatusCode.OK, body)));
            Assert.Equal("The token server auth.example of reg.example failed: the answer carries no token.", e.Message);
        }

        [Theory]
        [InlineData("{\"token\":\"t\",\"expires_in\":300}", 295)]        // 5 s margin
        [InlineData("{\"token\":\"t\",\"expires_in\":8}", 6)]            // a quarter of a short lifetime
        [InlineData("{\"token\":\"t\"}", 55)]                           // 60 s when not said
        [InlineData("{\"token\":\"t\",\"expires_in\":0}", 55)]
        [InlineData("{\"token\":\"t\",\"expires_in\":-5}", 55)]
        [InlineData("{\"token\":\"t\",\"expires_in\":\"300\"}", 55)]
        public async Task ATokenIsUsedUntilShortlyBeforeItExpires(string body, double seconds)
        {
            DateTimeOffset before = DateTimeOffset.UtcNow;
            BearerToken token = await Fetch(Client(HttpStatusCode.OK, body));
            DateTimeOffset after = DateTimeOffset.UtcNow;
            Assert.InRange(token.ExpiresAt, before.AddSeconds(seconds), after.AddSeconds(seconds));
        }

        [Fact]
        public async Task TheTokenFieldWinsOverAccessToken()
            => Assert.Equal("a", (await Fetch(Client(HttpStatusCode.OK, "{\"access_token\":\"b\",\"token\":\"a\"}"))).Value);
    }
}
