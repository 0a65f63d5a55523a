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
