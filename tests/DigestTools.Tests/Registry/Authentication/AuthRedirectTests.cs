using System;
using System.Linq;
using System.Threading.Tasks;
using DigestTools.Engine.Registry;
using DigestTools.Tests.Support;
using DigestTools.TestServers;
using Xunit;
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
        public async Task ATokenRealmOnPlainHttpIsRefusedUnlessTheRegistryIsPlainHttpOnLoopback()
        {
            // The registry itself is plain http on loopback, so the http realm is allowed here (the token tests prove it);
            // a realm that is not http(s) at all is refused before anything is sent to it.
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
    }
}
