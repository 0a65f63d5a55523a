using System;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Threading.Tasks;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
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
        public async Task ATokenRealmThatIsNotHttpAtAllIsRefused()
        {
            // A realm that is not http(s) at all is refused before anything is sent to it.
            using (var front = new ScriptedHttpServer((r, i) => Reply.WithStatus(401, ("WWW-Authenticate", "Bearer realm=\"ftp://127.0.0.1/token\",service=\"x\""))))
            using (var calls = new RegistryCalls(new RegistryCredential("alice", "secret-value")))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(front.Authority, Repository, "v1"));
                Assert.Equal("RegistryTokenRealmRefused", e.ErrorId);
                Assert.Equal(FailureCategory.SecurityError, e.Category);
            }
        }

        [Theory]
        [InlineData(false)]   // -Credential
        [InlineData(true)]    // the Docker config's auths entry for the registry
        public async Task AChallengeFromARedirectTargetGetsNoneOfTheRegistrysCredentials(bool fromConfig)
        {
            // The registry redirects to another origin (an open redirect, a CDN), which challenges with a realm
            // on a third origin: the registry's password must reach neither.
            using (var third = new ScriptedHttpServer((r, i) => new Reply { Body = System.Text.Encoding.UTF8.GetBytes("{\"token\":\"t\"}") }, "127.0.0.3"))
            using (var cdn = new ScriptedHttpServer((r, i) => Reply.WithStatus(401, ("WWW-Authenticate", "Bearer realm=\"http://" + third.Authority + "/token\",service=\"cdn\"")), "127.0.0.2"))
            using (var front = new ScriptedHttpServer((r, i) =>
                r.Header("Authorization") != null && r.PathAndQuery.Contains("/manifests/")
                    ? Reply.WithStatus(307, ("Location", "http://" + cdn.Authority + r.PathAndQuery))
                    : Reply.Forward(_f.Basic.Authority)))
            using (var calls = fromConfig
                ? new RegistryCalls(source: new DockerCredentialStore(CredentialHelperScripts.WriteConfig(
                    "{\"auths\":{\"" + front.Authority + "\":{\"auth\":\"" + CredentialHelperScripts.Base64(AuthRegistriesFixture.User + ":" + _f.Password) + "\"}}}")))
                : new RegistryCalls(new RegistryCredential(AuthRegistriesFixture.User, _f.Password)))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(front.Authority, Repository, "v1"));
                Assert.Equal("RegistryRedirectChallengeRefused", e.ErrorId);
                Assert.Equal(FailureCategory.SecurityError, e.Category);
                Assert.Contains(cdn.Authority, e.Message);
                Assert.Empty(third.Requests);
                Assert.NotEmpty(cdn.Requests);
                Assert.All(cdn.Requests, r => Assert.Null(r.Header("Authorization")));
                Assert.Contains(front.Requests, r => (r.Header("Authorization") ?? "").StartsWith("Basic "));   // the registry itself did get them
            }
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]    // the realm's host:port listed with -InsecureRegistry
        public async Task APlainHttpRealmOnAnotherHostGetsNothingUnlessListedEvenFromALoopbackRegistry(bool listed)
        {
            string address = NonLoopbackAddress();
            using (var realm = new ScriptedHttpServer((r, i) => new Reply { Body = System.Text.Encoding.UTF8.GetBytes("{\"token\":\"t\"}") }, address))
            using (var front = new ScriptedHttpServer((r, i) => Reply.WithStatus(401, ("WWW-Authenticate", "Bearer realm=\"http://" + realm.Authority + "/token\",service=\"x\""))))
            using (var calls = new RegistryCalls(new RegistryCredential("alice", "secret-value")))
            {
                if (listed) calls.Options.InsecureRegistries.Add(realm.Authority);
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(front.Authority, Repository, "v1"));
                if (listed)
                {
                    Assert.NotEmpty(realm.Requests);
                    return;
                }
                Assert.Equal("RegistryTokenRealmRefused", e.ErrorId);
                Assert.Equal(FailureCategory.SecurityError, e.Category);
                Assert.Contains(realm.Authority, e.Message);
                Assert.Empty(realm.Requests);
            }
        }

        // An address of this machine that is not loopback: "another host" as far as the realm rule goes.
        private static string NonLoopbackAddress()
        {
            var address = NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
            return address?.ToString() ?? throw new InvalidOperationException("This machine has no non-loopback IPv4 address to stand for another host.");
        }
    }
}
