using System;
using System.Linq;
using System.Threading.Tasks;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
using DigestTools.Tests.Support;
using DigestTools.TestServers;
using Xunit;
using DigestTools.Engine.Errors;

namespace DigestTools.Tests
{
    /// <summary>The real registry in token mode with the test token server (RS256 JWT, x5c, per-user scopes).</summary>
    [Collection(AuthRegistriesCollection.Name)]
    public sealed class AuthTokenTests : AuthRegistriesTests, IDisposable
    {
        public AuthTokenTests(AuthRegistriesFixture fixture)
            : base(fixture)
        {
            _f.Tokens.ResetCounters();
            _f.Tokens.TokenLifetimeSeconds = 300;
            _f.Tokens.ExpiredTokensToIssue = 0;
            _f.Tokens.TokenField = "both";
        }

        public void Dispose() => _f.Tokens.TokenField = "both";

        private static ICredentialSource NoConfig() => new DockerCredentialStore("/nonexistent/dt-auth/config.json");
        private RegistryCredential Alice => new RegistryCredential(AuthRegistriesFixture.User, _f.Password);

        [Fact]
        public async Task AnonymousIsDeniedWithPermissionDeniedAndOneTokenRequest()
        {
            using (var calls = new RegistryCalls(source: NoConfig()))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(_f.Token.Address, "private/beta", "v1"));
                Assert.Equal("RegistryAccessDenied", e.ErrorId);
                Assert.Equal(FailureCategory.PermissionDenied, e.Category);
                Assert.Contains("private/beta", e.Message);
                Assert.Contains("anonymous", e.Message);
            }
            Assert.Equal(1, _f.Tokens.RequestCount);
            Assert.False(_f.Tokens.Requests.Single().HadAuthorization);
        }

        [Fact]
        public async Task AnonymousBearerFlowWorksForAPublicRepository()
        {
            using (var calls = new RegistryCalls(source: NoConfig()))
            {
                Assert.Equal(_f.Digests[AuthRegistriesFixture.PublicRepository],
                    await calls.ManifestDigestAsync(_f.Token.Address, AuthRegistriesFixture.PublicRepository, "v1"));
            }
            var request = _f.Tokens.Requests.Single();
            Assert.Null(request.User);
            Assert.Equal(new[] { "repository:" + AuthRegistriesFixture.PublicRepository + ":pull" }, request.Scopes);
        }

        [Fact]
        public async Task CredentialsAreGrantedAndSentOnlyToTheTokenServerAsBasic()
        {
            using (var calls = new RegistryCalls(Alice))
            {
                Assert.Equal(_f.Digests["private/beta"], await calls.ManifestDigestAsync(_f.Token.Address, "private/beta", "v1"));
            }
            var request = _f.Tokens.Requests.Single();
            Assert.Equal("alice", request.User);
            Assert.True(request.HadAuthorization);
            Assert.True(request.Issued);
        }

        [Fact]
        public async Task TwentyReferencesOfOneRepositoryCostOneTokenRequest()
        {
            using (var calls = new RegistryCalls(Alice))
            {
                var digests = await Task.WhenAll(Enumerable.Range(0, 20)
                    .Select(_ => calls.ManifestDigestAsync(_f.Token.Address, Repository, "v1")));
                Assert.All(digests, d => Assert.Equal(_f.Digests[Repository], d));
                // A second wave after the token is cached attaches it up front.
                foreach (var _ in Enumerable.Range(0, 5))
                    Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(_f.Token.Address, Repository, "v1"));
            }
            Assert.Equal(1, _f.Tokens.RequestCount);
        }

        [Fact]
        public async Task ACachedTokenIsAttachedUpFrontSoLaterReferencesCostOneRequest()
        {
            await using (var proxy = FaultServer.Started(_f.Token.Address))
            using (var calls = new RegistryCalls(Alice))
            {
                for (int i = 0; i < 10; i++)
                    Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(proxy.Address, Repository, "v1"));
                // First reference: challenge + retry with the token; the nine others: one request each, token attached.
                Assert.Equal(11, proxy.Requests.Count);
                Assert.Equal(1, proxy.Requests.Count(r => !r.HasAuthorization));
                // A new repository on a known registry: its token is fetched before the request, not after a 401.
                Assert.Equal(_f.Digests["private/beta"], await calls.ManifestDigestAsync(proxy.Address, "private/beta", "v1"));
                Assert.Equal(12, proxy.Requests.Count);
            }
            Assert.Equal(2, _f.Tokens.RequestCount);
        }

        [Fact]
        public async Task TheVersionCheckLearnsTheChallengeWithoutAToken()
        {
            await using (var proxy = FaultServer.Started(_f.Token.Address))
            using (var calls = new RegistryCalls(Alice))
            {
                using (var ping = await calls.Client.GetAsync("http://" + proxy.Address + "/v2/"))
                {
                    // A v2 registry asking for a token: exactly what the version check needs to know.
                    Assert.Equal(System.Net.HttpStatusCode.Unauthorized, ping.StatusCode);
                }
                Assert.Equal(0, _f.Tokens.RequestCount);
                var digests = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => calls.ManifestDigestAsync(proxy.Address, Repository, "v1")));
                Assert.All(digests, d => Assert.Equal(_f.Digests[Repository], d));
                // The ping plus one request per reference, each with the token attached up front.
                Assert.Equal(21, proxy.Requests.Count);
                Assert.Equal(20, proxy.Requests.Count(r => r.AuthorizationScheme == "Bearer"));
            }
            Assert.Equal(1, _f.Tokens.RequestCount);
        }

        [Fact]
        public async Task EachRepositoryGetsItsOwnScopedToken()
        {
            using (var calls = new RegistryCalls(Alice))
            {
                await calls.ManifestDigestAsync(_f.Token.Address, "fixtures/alpha", "v1");
                await calls.ManifestDigestAsync(_f.Token.Address, "private/beta", "v1");
                await calls.ManifestDigestAsync(_f.Token.Address, "fixtures/alpha", "v1");
            }
            Assert.Equal(new[] { "repository:fixtures/alpha:pull", "repository:private/beta:pull" },
                _f.Tokens.Requests.Select(r => string.Join(" ", r.Scopes)).ToArray());
        }

        [Fact]
        public async Task AnExpiredTokenIsReplacedByANewOne()
        {
            _f.Tokens.TokenLifetimeSeconds = 5;   // long enough for two calls on a loaded machine
            using (var calls = new RegistryCalls(Alice))
            {
                await calls.ManifestDigestAsync(_f.Token.Address, Repository, "v1");
                await calls.ManifestDigestAsync(_f.Token.Address, Repository, "v1");
                Assert.Equal(1, _f.Tokens.RequestCount);
                await Task.Delay(TimeSpan.FromSeconds(5.1));   // past expires_in: the cached token must not be used
                Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(_f.Token.Address, Repository, "v1"));
            }
            Assert.Equal(2, _f.Tokens.RequestCount);
        }

        [Fact]
        public async Task ATokenTheRegistryRefusesIsFetchedAgainOnce()
        {
            using (var calls = new RegistryCalls(Alice))
            {
                await calls.ManifestDigestAsync(_f.Token.Address, Repository, "v1");           // learns the challenge: token 1
                _f.Tokens.ExpiredTokensToIssue = 1;                                                // token 2 will be refused
                Assert.Equal(_f.Digests["private/beta"], await calls.ManifestDigestAsync(_f.Token.Address, "private/beta", "v1"));
            }
            Assert.Equal(3, _f.Tokens.RequestCount);                                               // 1, refused 2, fresh 3
        }

        [Fact]
        public async Task TokensRefusedTwiceFailWithoutAStorm()
        {
            using (var calls = new RegistryCalls(Alice))
            {
                await calls.ManifestDigestAsync(_f.Token.Address, Repository, "v1");
                _f.Tokens.ExpiredTokensToIssue = 100;
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(_f.Token.Address, "private/beta", "v1"));
                Assert.Equal("RegistryAuthenticationFailed", e.ErrorId);
                Assert.Equal(FailureCategory.AuthenticationError, e.Category);
            }
            Assert.Equal(3, _f.Tokens.RequestCount);
        }

        [Fact]
        public async Task InsufficientScopeIsPermissionDeniedAndNotRetried()
        {
            using (var calls = new RegistryCalls(new RegistryCredential(AuthRegistriesFixture.LimitedUser, _f.LimitedPassword)))
            {
                for (int i = 0; i < 3; i++)
                {
                    var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(_f.Token.Address, Repository, "v1"));
                    Assert.Equal("RegistryAccessDenied", e.ErrorId);
                    Assert.Equal(FailureCategory.PermissionDenied, e.Category);
                    Assert.Contains("'bob'", e.Message);
                }
                Assert.Equal(1, _f.Tokens.RequestCount);
                // The same user may pull what the token server grants.
                Assert.Equal(_f.Digests["other/gamma"], await calls.ManifestDigestAsync(_f.Token.Address, "other/gamma", "v1"));
            }
            Assert.Equal(2, _f.Tokens.RequestCount);
        }

        [Fact]
        public async Task WrongPasswordFailsEveryReferenceWithOneTokenRequest()
        {
            using (var calls = new RegistryCalls(new RegistryCredential(AuthRegistriesFixture.User, "wrong-password")))
            {
                for (int i = 0; i < 5; i++)
                {
                    var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(_f.Token.Address, Repository, "v1"));
                    Assert.Equal("RegistryAuthenticationFailed", e.ErrorId);
                    Assert.Equal(FailureCategory.AuthenticationError, e.Category);
                }
            }
            Assert.Equal(1, _f.Tokens.RequestCount);
        }

        [Theory]
        [InlineData("token")]
        [InlineData("access_token")]
        public async Task EitherTokenFieldIsAccepted(string field)
        {
            _f.Tokens.TokenField = field;
            using (var calls = new RegistryCalls(Alice))
            {
                Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(_f.Token.Address, Repository, "v1"));
            }
        }

        [Fact]
        public async Task IdentityTokenFromConfigUsesTheRefreshTokenGrant()
        {
            string refresh = "refresh-" + Guid.NewGuid().ToString("N");
            _f.Tokens.AddRefreshToken(refresh, AuthRegistriesFixture.User);
            string config = CredentialHelperScripts.WriteConfig("{\"auths\":{\"https://" + _f.Token.Address + "/v1/\":{\"identitytoken\":\"" + refresh + "\"}}}");
            using (var calls = new RegistryCalls(source: new DockerCredentialStore(config)))
            {
                Assert.Equal(_f.Digests["private/beta"], await calls.ManifestDigestAsync(_f.Token.Address, "private/beta", "v1"));
                Assert.DoesNotContain(calls.Captured, line => line.Contains(refresh));
            }
            var request = _f.Tokens.Requests.Single();
            Assert.Equal("POST", request.Method);
            Assert.Equal("refresh_token", request.GrantType);
            Assert.Equal("alice", request.User);
        }

        [Fact]
        public async Task CredentialHelperIdentityTokenIsUsedAsARefreshToken()
        {
            string refresh = "refresh-" + Guid.NewGuid().ToString("N");
            _f.Tokens.AddRefreshToken(refresh, AuthRegistriesFixture.User);
            CredentialHelperScripts.Install("dtidentity", "printf '{\"ServerURL\":\"%s\",\"Username\":\"<token>\",\"Secret\":\"" + refresh + "\"}' \"$url\"");
            string config = CredentialHelperScripts.WriteConfig("{\"credHelpers\":{\"" + _f.Token.Address + "\":\"dtidentity\"}}");
            using (var calls = new RegistryCalls(source: new DockerCredentialStore(config)))
            {
                Assert.Equal(_f.Digests["private/beta"], await calls.ManifestDigestAsync(_f.Token.Address, "private/beta", "v1"));
            }
            Assert.Equal("refresh_token", _f.Tokens.Requests.Single().GrantType);
        }
    }
}
