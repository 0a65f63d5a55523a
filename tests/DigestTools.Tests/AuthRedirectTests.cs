using System;
using System.Linq;
using System.Threading.Tasks;
using DigestTools.Engine.Registry;
using DigestTools.Tests.AuthSupport;
using Xunit;
using Reply = DigestTools.Tests.AuthSupport.ScriptedHttpServer.Reply;
using DigestTools.Engine.Errors;

namespace DigestTools.Tests
{
    /// <summary>Redirects (blob and manifest downloads go to CDNs) never carry credentials to another host.</summary>
    [Collection(AuthRegistriesCollection.Name)]
    public sealed class AuthRedirectTests
    {
        private const string Repository = "fixtures/alpha";
        private readonly AuthRegistriesFixture _f;

        public AuthRedirectTests(AuthRegistriesFixture fixture) => _f = fixture;

        [Fact]
        public async Task ARedirectToAnotherHostArrivesWithoutAuthorization()
        {
            string basicForCdn = "Basic " + CredentialHelperScripts.Base64(AuthRegistriesFixture.User + ":" + _f.Password);
            // The "CDN" on another loopback address has its own access to the content.
            using (var cdn = new ScriptedHttpServer((r, i) => { var reply = Reply.Forward(_f.Basic.Authority); reply.ForwardAuthorization = basicForCdn; return reply; }, "127.0.0.2"))
            using (var front = new ScriptedHttpServer((r, i) =>
                r.Header("Authorization") != null && r.PathAndQuery.Contains("/manifests/")
                    ? Reply.WithStatus(307, ("Location", "http://" + cdn.Authority + r.PathAndQuery))
                    : Reply.Forward(_f.Basic.Authority)))
            using (var calls = new RegistryCalls(new RegistryCredential(AuthRegistriesFixture.User, _f.Password)))
            {
                Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(front.Authority, Repository, "v1"));
                Assert.Contains(front.Requests, r => (r.Header("Authorization") ?? "").StartsWith("Basic "));
                var atCdn = Assert.Single(cdn.Requests);
                Assert.Null(atCdn.Header("Authorization"));
                Assert.Contains(calls.Captured, l => l.Contains("without credentials"));
            }
        }

        [Fact]
        public async Task ARedirectOnTheSameHostKeepsAuthorization()
        {
            using (var front = new ScriptedHttpServer((r, i) =>
                r.PathAndQuery.EndsWith("/manifests/moved")
                    ? Reply.WithStatus(301, ("Location", "/v2/" + Repository + "/manifests/v1"))
                    : Reply.Forward(_f.Basic.Authority)))
            using (var calls = new RegistryCalls(new RegistryCredential(AuthRegistriesFixture.User, _f.Password)))
            {
                Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(front.Authority, Repository, "moved"));
                var followed = front.Requests.Last();
                Assert.EndsWith("/manifests/v1", followed.PathAndQuery);
                Assert.StartsWith("Basic ", followed.Header("Authorization"));
            }
        }

        [Fact]
        public async Task EndlessRedirectsStop()
        {
            using (var front = new ScriptedHttpServer((r, i) => Reply.WithStatus(302, ("Location", "/v2/" + Repository + "/manifests/v" + (i + 2)))))
            using (var calls = new RegistryCalls())
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(front.Authority, Repository, "v1"));
                Assert.Equal("RegistryTooManyRedirects", e.ErrorId);
                Assert.Equal(6, front.Requests.Count);
            }
        }

        [Fact]
        public async Task ATokenRealmOnPlainHttpIsRefusedUnlessTheRegistryIsPlainHttpOnLoopback()
        {
            // The registry itself is plain http on loopback, so the http realm is allowed here (the token tests prove it);
            // a realm that is not http(s) at all is refused before anything is sent to it.
            using (var front = new ScriptedHttpServer((r, i) => Reply.WithStatus(401, ("WWW-Authenticate", "Bearer realm=\"ftp://127.0.0.1/token\",service=\"x\""))))
            using (var calls = new RegistryCalls(new RegistryCredential("alice", "secret-value")))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(front.Authority, Repository, "v1"));
                Assert.Equal("RegistryTokenRealmRefused", e.ErrorId);
                Assert.Equal(FailureCategory.SecurityError, e.Category);
            }
        }
    }
}
