using System;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Threading.Tasks;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
using DigestTools.Tests.Support;
using DigestTools.TestServers;
using Xunit;
using DigestTools.Engine.Errors;

namespace DigestTools.Tests
{
    /// <summary>Redirects (blob and manifest downloads go to CDNs) never carry credentials to another host.</summary>
    [Collection(AuthRegistriesCollection.Name)]
    public sealed class AuthRedirectTests : AuthRegistriesTests
    {
        public AuthRedirectTests(AuthRegistriesFixture fixture) : base(fixture) { }

        [Fact]
        public async Task ARedirectToAnotherHostArrivesWithoutAuthorization()
        {
            // The "CDN" on another loopback address has its own access to the content (the anonymous registry shares the storage).
            await using (var cdn = FaultServer.Started(_f.Anonymous.Address, "127.0.0.2"))
            await using (var front = FaultServer.Started(_f.Basic.Address))
            using (var calls = new RegistryCalls(new RegistryCredential(AuthRegistriesFixture.User, _f.Password)))
            {
                // Only the authenticated manifest request is sent away: the first one must meet the Basic challenge.
                front.Rules.Add(new FaultRule { Path = "/manifests/", IfRequestHeader = "Authorization", Action = "redirect", Location = "http://" + cdn.Address + "/{path}" });
                Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(front.Address, Repository, "v1"));
                Assert.Contains(front.Requests, r => r.AuthorizationScheme == "Basic");
                var atCdn = Assert.Single(cdn.Requests);
                Assert.False(atCdn.HasAuthorization);
                Assert.Contains(calls.Captured, l => l.Contains("without credentials"));
            }
        }

        [Fact]
        public async Task ARedirectOnTheSameHostKeepsAuthorization()
        {
            await using (var front = FaultServer.Started(_f.Basic.Address))
            using (var calls = new RegistryCalls(new RegistryCredential(AuthRegistriesFixture.User, _f.Password)))
            {
                front.Rules.Add(new FaultRule { Path = "/manifests/moved$", Action = "redirect", Status = 301, Location = "/v2/" + Repository + "/manifests/v1" });
                Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(front.Address, Repository, "moved"));
                var followed = front.Requests.Last();
                Assert.EndsWith("/manifests/v1", followed.Path);
                Assert.Equal("Basic", followed.AuthorizationScheme);
            }
        }

        [Fact]
        public async Task EndlessRedirectsStop()
        {
            await using (var front = FaultServer.Started(_f.Anonymous.Address))
            using (var calls = new RegistryCalls())
            {
                // Every answer names a new place (path + "-again"), so only a redirect limit ends it.
                front.Rules.Add(new FaultRule { Path = ".", Action = "redirect", Status = 302, Location = front.BaseUri + "{path}-again" });
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(front.Address, Repository, "v1"));
                Assert.Equal("RegistryTooManyRedirects", e.ErrorId);
                Assert.Equal(6, front.Requests.Count);
            }
        }

        [Fact]
        public async Task ATokenRealmThatIsNotHttpAtAllIsRefused()
        {
            // A realm that is not http(s) at all is refused before anything is sent to it.
            await using (var front = FaultServer.Started(_f.Anonymous.Address))
            using (var calls = new RegistryCalls(new RegistryCredential("alice", "secret-value")))
            {
                front.Rules.Add(new FaultRule { Path = ".", Action = "status", Status = 401 });
                front.Rules.Add(new FaultRule { Path = ".", Action = "set-header", Header = "WWW-Authenticate", Value = "Bearer realm=\"ftp://127.0.0.1/token\",service=\"x\"" });
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(front.Address, Repository, "v1"));
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
            // third: a token endpoint (any answer would do: it must get no request); cdn: challenges with third's realm.
            await using (var third = Answering(null, "127.0.0.3", new FaultRule { Path = ".", Action = "status", Status = 200, Body = "{\"token\":\"t\"}" }))
            await using (var cdn = Answering(null, "127.0.0.2", Challenge("http://" + third.Address + "/token", "cdn")))
            await using (var front = Answering(_f.Basic.Address, "127.0.0.1",
                new FaultRule { Path = "/manifests/", IfRequestHeader = "Authorization", Action = "redirect", Location = "http://" + cdn.Address + "/{path}" }))
            using (var calls = fromConfig
                ? new RegistryCalls(source: new DockerCredentialStore(CredentialHelperScripts.WriteConfig(
                    "{\"auths\":{\"" + front.Address + "\":{\"auth\":\"" + CredentialHelperScripts.Base64(AuthRegistriesFixture.User + ":" + _f.Password) + "\"}}}")))
                : new RegistryCalls(new RegistryCredential(AuthRegistriesFixture.User, _f.Password)))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(front.Address, Repository, "v1"));
                Assert.Equal("RegistryRedirectChallengeRefused", e.ErrorId);
                Assert.Equal(FailureCategory.SecurityError, e.Category);
                Assert.Contains(cdn.Address, e.Message);
                Assert.Empty(third.Requests);
                Assert.NotEmpty(cdn.Requests);
                Assert.All(cdn.Requests, r => Assert.False(r.HasAuthorization));
                Assert.Contains(front.Requests, r => r.AuthorizationScheme == "Basic");   // the registry itself did get them
            }
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]    // the realm's host:port listed with -InsecureRegistry
        public async Task APlainHttpRealmOnAnotherHostGetsNothingUnlessListedEvenFromALoopbackRegistry(bool listed)
        {
            string address = NonLoopbackAddress();
            await using (var realm = Answering(null, address, new FaultRule { Path = ".", Action = "status", Status = 200, Body = "{\"token\":\"t\"}" }))
            await using (var front = Answering(null, "127.0.0.1", Challenge("http://" + realm.Address + "/token", "x")))
            using (var calls = new RegistryCalls(new RegistryCredential("alice", "secret-value")))
            {
                if (listed) calls.Options.InsecureRegistries.Add(realm.Address);
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(front.Address, Repository, "v1"));
                if (listed)
                {
                    Assert.NotEmpty(realm.Requests);
                    return;
                }
                Assert.Equal("RegistryTokenRealmRefused", e.ErrorId);
                Assert.Equal(FailureCategory.SecurityError, e.Category);
                Assert.Contains(realm.Address, e.Message);
                Assert.Empty(realm.Requests);
            }
        }

        [Theory]
        [InlineData(307)]
        [InlineData(308)]
        public async Task ATokenPostMovedOnItsServerArrivesThereWithItsForm(int status)
        {
            // The realm is a front of the token server that moves its endpoint (/token -> /token?moved=1): a 307 or 308
            // repeats the refresh-token grant there with its form, as HttpClient and Go's net/http do.
            string refresh = "refresh-" + Guid.NewGuid().ToString("N");
            _f.Tokens.AddRefreshToken(refresh, AuthRegistriesFixture.User);
            _f.Tokens.ResetCounters();
            await using (var realm = Answering("127.0.0.1:" + _f.Tokens.Port, "127.0.0.1",
                new FaultRule { Method = "POST", Path = "^/token$", Action = "redirect", Status = status, Location = "/token?moved=1" }))
            await using (var front = Answering(_f.Token.Address, "127.0.0.1", new FaultRule { Path = ".", Action = "set-header", Header = "WWW-Authenticate",
                Value = "Bearer realm=\"http://" + realm.Address + "/token\",service=\"" + _f.Tokens.Service + "\"" }))
            using (var client = new RegistryClient(new RegistryClientOptions { Credential = new RegistryCredential(null, null, refresh) }))
            {
                var resolution = await client.ResolveAsync(new ManifestQuery { Registry = front.Address, Repository = "private/beta", Tag = "v1" }, default);
                Assert.Equal(_f.Digests["private/beta"], resolution.Digest);
                Assert.Equal(new[] { "POST /token " + status, "POST /token?moved=1 200" }, realm.Requests.Select(r => r.Method + " " + r.Path + " " + r.Status));
                Assert.True(realm.Requests[0].RequestBodyLength > 0);
                Assert.Equal(realm.Requests[0].RequestBodyLength, realm.Requests[1].RequestBodyLength);
                Assert.Equal("application/x-www-form-urlencoded", realm.Requests[1].ContentType);
            }
            var grant = _f.Tokens.Requests.Single();
            Assert.Equal("refresh_token", grant.GrantType);
            Assert.Equal(AuthRegistriesFixture.User, grant.User);
            Assert.True(grant.Issued);
        }

        [Fact]
        public async Task ATokenPostMovedToAnotherOriginIsRefusedAndItsIdentityTokenStaysHome()
        {
            // The form holds the identity token: like the Authorization header, it never goes to another origin.
            string refresh = "refresh-" + Guid.NewGuid().ToString("N");
            await using (var elsewhere = Answering(null, "127.0.0.2", new FaultRule { Path = ".", Action = "status", Status = 200, Body = "{\"token\":\"t\"}" }))
            await using (var realm = Answering(null, "127.0.0.1",
                new FaultRule { Method = "POST", Path = "^/token", Action = "redirect", Status = 307, Location = "http://" + elsewhere.Address + "/token" }))
            await using (var registry = Answering(null, "127.0.0.1", Challenge("http://" + realm.Address + "/token", "reg")))
            using (var client = new RegistryClient(new RegistryClientOptions { Credential = new RegistryCredential(null, null, refresh) }))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => client.ResolveAsync(
                    new ManifestQuery { Registry = registry.Address, Repository = "private/beta", Tag = "v1" }, default));
                Assert.Equal("RegistryInsecureRedirect", e.ErrorId);
                Assert.Equal(FailureCategory.SecurityError, e.Category);
                Assert.Equal(realm.Address + " redirected POST /token to " + elsewhere.Address + ", another origin; a request body (it may hold a credential)"
                    + " is sent again only to the same scheme, host and port.", e.Message);
                Assert.Equal(1, realm.Requests.Count(r => r.Method == "POST"));
                Assert.Empty(elsewhere.Requests);
            }
        }

        /// <summary>A started fault server (echo mode when upstream is null) on bindAddress with these rules.</summary>
        private static FaultServer Answering(string upstream, string bindAddress, params FaultRule[] rules)
        {
            var server = FaultServer.Started(upstream, bindAddress);
            foreach (var rule in rules) server.Rules.Add(rule);
            return server;
        }

        /// <summary>401 with a Bearer challenge naming this realm and service (two rules: status, then the header).</summary>
        private static FaultRule[] Challenge(string realm, string service) => new[]
        {
            new FaultRule { Path = ".", Action = "status", Status = 401 },
            new FaultRule { Path = ".", Action = "set-header", Header = "WWW-Authenticate", Value = "Bearer realm=\"" + realm + "\",service=\"" + service + "\"" },
        };

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
