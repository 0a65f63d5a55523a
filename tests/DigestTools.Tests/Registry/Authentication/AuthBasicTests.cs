using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
using DigestTools.Tests.Support;
using DigestTools.TestServers;
using Xunit;
using DigestTools.Engine.Errors;

namespace DigestTools.Tests
{
    /// <summary>The real registry with htpasswd (bcrypt): every credential source, and the failures.</summary>
    [Collection(AuthRegistriesCollection.Name)]
    public sealed class AuthBasicTests : AuthRegistriesTests
    {
        public AuthBasicTests(AuthRegistriesFixture fixture) : base(fixture) { }

        private static ICredentialSource NoConfig() => new DockerCredentialStore("/nonexistent/dt-auth/config.json");

        [Fact]
        public async Task ExplicitCredentialResolvesTheManifest()
        {
            using (var calls = new RegistryCalls(new RegistryCredential(AuthRegistriesFixture.User, _f.Password)))
            {
                Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(_f.Basic.Address, Repository, "v1"));
            }
        }

        [Fact]
        public async Task AnonymousIsRefusedWithAuthenticationError()
        {
            using (var calls = new RegistryCalls(source: NoConfig()))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(_f.Basic.Address, Repository, "v1"));
                Assert.Equal("RegistryAuthenticationFailed", e.ErrorId);
                Assert.Equal(FailureCategory.AuthenticationError, e.Category);
                Assert.Contains(_f.Basic.Address, e.Message);
                Assert.Contains("no credentials were found", e.Message);
            }
        }

        [Fact]
        public async Task WrongPasswordIsAnAuthenticationErrorNamingTheUserNotThePassword()
        {
            string wrong = "wrong-" + Guid.NewGuid().ToString("N");
            using (var calls = new RegistryCalls(new RegistryCredential(AuthRegistriesFixture.User, wrong)))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(_f.Basic.Address, Repository, "v1"));
                Assert.Equal("RegistryAuthenticationFailed", e.ErrorId);
                Assert.Equal(FailureCategory.AuthenticationError, e.Category);
                Assert.Contains("'alice'", e.Message);
                Assert.DoesNotContain(wrong, e.ToString());
                Assert.DoesNotContain(wrong, string.Join("\n", calls.Captured));
            }
        }

        [Theory]
        [InlineData("{0}")]
        [InlineData("http://{0}")]
        [InlineData("https://{0}")]
        [InlineData("https://{0}/v1/")]
        public async Task ConfigAuthsMatchEveryKeySpelling(string keyFormat)
        {
            string key = string.Format(keyFormat, _f.Basic.Address);
            string config = CredentialHelperScripts.WriteConfig("{\"auths\":{\"" + key + "\":{\"auth\":\""
                + CredentialHelperScripts.Base64(AuthRegistriesFixture.User + ":" + _f.Password) + "\"}}}");
            using (var calls = new RegistryCalls(source: new DockerCredentialStore(config)))
            {
                Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(_f.Basic.Address, Repository, "v1"));
            }
        }

        [Fact]
        public async Task ConfigForAnotherRegistryLeavesThisOneAnonymous()
        {
            string config = CredentialHelperScripts.WriteConfig("{\"auths\":{\"127.0.0.1:1\":{\"auth\":\""
                + CredentialHelperScripts.Base64(AuthRegistriesFixture.User + ":" + _f.Password) + "\"}}}");
            using (var calls = new RegistryCalls(source: new DockerCredentialStore(config)))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(_f.Basic.Address, Repository, "v1"));
                Assert.Equal(FailureCategory.AuthenticationError, e.Category);
            }
        }

        [Fact]
        public async Task ExplicitCredentialWinsOverTheDockerConfig()
        {
            string config = CredentialHelperScripts.WriteConfig("{\"auths\":{\"" + _f.Basic.Address + "\":{\"auth\":\""
                + CredentialHelperScripts.Base64(AuthRegistriesFixture.User + ":not-the-password") + "\"}}}");
            string saved = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", System.IO.Path.GetDirectoryName(config));
            try
            {
                // Without -Credential the config's wrong password is used ...
                using (var fromConfig = new RegistryCalls())
                {
                    var e = await Assert.ThrowsAsync<FailureException>(() => fromConfig.ManifestAsync(_f.Basic.Address, Repository, "v1"));
                    Assert.Equal(FailureCategory.AuthenticationError, e.Category);
                    // -Verbose says where the credential came from.
                    Assert.Contains("LOG Credentials for " + _f.Basic.Address + ": auths entry of " + config, fromConfig.Captured);
                }
                // ... with it, the explicit credential wins.
                using (var explicitCredential = new RegistryCalls(new RegistryCredential(AuthRegistriesFixture.User, _f.Password)))
                {
                    Assert.Equal(_f.Digests[Repository], await explicitCredential.ManifestDigestAsync(_f.Basic.Address, Repository, "v1"));
                }
            }
            finally
            {
                Environment.SetEnvironmentVariable("DOCKER_CONFIG", saved);
            }
        }

        [Fact]
        public async Task CredHelpersEntryRunsTheHelperOncePerRegistry()
        {
            string helper = CredentialHelperScripts.Install("dtbasic",
                "printf '{\"ServerURL\":\"%s\",\"Username\":\"alice\",\"Secret\":\"" + _f.Password + "\"}' \"$url\"");
            string config = CredentialHelperScripts.WriteConfig("{\"credHelpers\":{\"" + _f.Basic.Address + "\":\"dtbasic\"},"
                + "\"auths\":{\"" + _f.Basic.Address + "\":{\"auth\":\"" + CredentialHelperScripts.Base64("alice:wrong") + "\"}}}");
            using (var calls = new RegistryCalls(source: new DockerCredentialStore(config)))
            {
                for (int i = 0; i < 3; i++)
                    Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(_f.Basic.Address, Repository, "v1"));
            }
            Assert.Equal(new[] { "get " + _f.Basic.Address }, CredentialHelperScripts.Calls(helper));
        }

        [Fact]
        public async Task CredsStoreIsUsedWhenNoCredHelperMatches()
        {
            string helper = CredentialHelperScripts.Install("dtstore",
                "printf '{\"ServerURL\":\"%s\",\"Username\":\"alice\",\"Secret\":\"" + _f.Password + "\"}' \"$url\"");
            string config = CredentialHelperScripts.WriteConfig("{\"credsStore\":\"dtstore\",\"credHelpers\":{\"other.example\":\"dtmissing\"}}");
            using (var calls = new RegistryCalls(source: new DockerCredentialStore(config)))
            {
                Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(_f.Basic.Address, Repository, "v1"));
            }
            Assert.Single(CredentialHelperScripts.Calls(helper));
        }

        [Fact]
        public async Task HelperSayingCredentialsNotFoundMeansAnonymous()
        {
            CredentialHelperScripts.Install("dtnotfound", "echo 'credentials not found in native keychain'; exit 1");
            string config = CredentialHelperScripts.WriteConfig("{\"credsStore\":\"dtnotfound\"}");
            using (var calls = new RegistryCalls(source: new DockerCredentialStore(config)))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(_f.Basic.Address, Repository, "v1"));
                Assert.Equal("RegistryAuthenticationFailed", e.ErrorId);
                Assert.Contains("no credentials were found", e.Message);
            }
        }

        [Fact]
        public async Task MissingHelperIsAClearError()
        {
            string config = CredentialHelperScripts.WriteConfig("{\"credHelpers\":{\"" + _f.Basic.Address + "\":\"dt-does-not-exist\"}}");
            using (var calls = new RegistryCalls(source: new DockerCredentialStore(config)))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(_f.Basic.Address, Repository, "v1"));
                Assert.Equal("RegistryCredentialHelperFailed", e.ErrorId);
                Assert.Equal(FailureCategory.ResourceUnavailable, e.Category);
                Assert.Contains("docker-credential-dt-does-not-exist", e.Message);
            }
        }

        [Fact]
        public async Task FailingHelperIsAClearErrorWithItsMessage()
        {
            CredentialHelperScripts.Install("dtfail", "echo 'keychain is locked' >&2; exit 3");
            string config = CredentialHelperScripts.WriteConfig("{\"credsStore\":\"dtfail\"}");
            using (var calls = new RegistryCalls(source: new DockerCredentialStore(config)))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => calls.ManifestAsync(_f.Basic.Address, Repository, "v1"));
                Assert.Equal("RegistryCredentialHelperFailed", e.ErrorId);
                Assert.Contains("exited with code 3", e.Message);
                Assert.Contains("keychain is locked", e.Message);
            }
        }

        [Fact]
        public async Task HangingHelperIsStoppedAfterItsTimeout()
        {
            CredentialHelperScripts.Install("dthang", "sleep 30");
            string config = CredentialHelperScripts.WriteConfig("{\"credsStore\":\"dthang\"}");
            using (var calls = new RegistryCalls(source: new DockerCredentialStore(config, TimeSpan.FromSeconds(1))))
            {
                var call = calls.ManifestAsync(_f.Basic.Address, Repository, "v1");
                // A guard against a hang, not a timing assertion: the helper would sleep 30 s.
                Assert.True(await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(20))) == call, "the helper call hung");
                var e = await Assert.ThrowsAsync<FailureException>(() => call);
                Assert.Equal("RegistryCredentialHelperTimeout", e.ErrorId);
                Assert.Equal(FailureCategory.OperationTimeout, e.Category);
            }
        }

        [Fact]
        public async Task KnownBasicRegistryGetsCredentialsUpFrontAfterTheFirstChallenge()
        {
            await using (var proxy = FaultServer.Started(_f.Basic.Address))
            using (var calls = new RegistryCalls(new RegistryCredential(AuthRegistriesFixture.User, _f.Password)))
            {
                for (int i = 0; i < 5; i++)
                    Assert.Equal(_f.Digests[Repository], await calls.ManifestDigestAsync(proxy.Address, Repository, "v1"));
                var requests = proxy.Requests;
                // One challenge, then every request carries Basic: 1 + 5.
                Assert.Equal(6, requests.Count);
                Assert.Equal(1, requests.Count(r => !r.HasAuthorization));
                Assert.Equal(5, requests.Count(r => r.AuthorizationScheme == "Basic"));
            }
        }
    }
}
