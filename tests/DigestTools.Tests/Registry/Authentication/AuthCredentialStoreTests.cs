using System;
using System.Net.Http;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
using DigestTools.Tests.Support;
using Xunit;
using DigestTools.Engine.Errors;

namespace DigestTools.Tests
{
    /// <summary>Config parsing and host matching of the Docker credential store, and the small pure pieces.</summary>
    [Collection(AuthRegistriesCollection.Name)]   // shares the temp files the collection fixture removes
    public sealed class AuthCredentialStoreTests
    {
        [Theory]
        [InlineData("docker.io")]
        [InlineData("index.docker.io")]
        [InlineData("registry-1.docker.io")]
        [InlineData("registry.hub.docker.com")]
        public void DockerHubHostsUseTheHubKey(string host)
        {
            string config = CredentialHelperScripts.WriteConfig("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + CredentialHelperScripts.Base64("hubuser:hubpass") + "\"}}}");
            var credential = new DockerCredentialStore(config).GetCredential(host);
            Assert.Equal("hubuser", credential.Username);
            Assert.Equal("hubpass", credential.Password);
            Assert.Equal("https://index.docker.io/v1/", HostNames.ServerAddress(host));
        }

        [Fact]
        public void IdentityTokenEntrySupersedesThePassword()
        {
            string config = CredentialHelperScripts.WriteConfig("{\"auths\":{\"reg.example:5000\":{\"auth\":\"" + CredentialHelperScripts.Base64("u:p") + "\",\"identitytoken\":\"it-123\"}}}");
            var credential = new DockerCredentialStore(config).GetCredential("reg.example:5000");
            Assert.Equal("it-123", credential.IdentityToken);
            Assert.Null(credential.Password);
        }

        [Fact]
        public void PortsMustMatch()
        {
            string config = CredentialHelperScripts.WriteConfig("{\"auths\":{\"reg.example:5000\":{\"auth\":\"" + CredentialHelperScripts.Base64("u:p") + "\"}}}");
            Assert.Null(new DockerCredentialStore(config).GetCredential("reg.example:5001"));
            Assert.Null(new DockerCredentialStore(config).GetCredential("reg.example"));
        }

        [Fact]
        public void MissingConfigMeansAnonymous()
            => Assert.Null(new DockerCredentialStore("/nonexistent/dt-auth/config.json").GetCredential("reg.example"));

        [Fact]
        public void InvalidConfigIsATypedErrorThatDoesNotQuoteTheFile()
        {
            string config = CredentialHelperScripts.WriteConfig("{\"auths\": {\"x\": {\"auth\": \"c2VjcmV0LXZhbHVl\" ");
            var e = Assert.Throws<FailureException>(() => new DockerCredentialStore(config).GetCredential("x"));
            Assert.Equal("RegistryCredentialConfigInvalid", e.ErrorId);
            Assert.Equal(FailureCategory.InvalidData, e.Category);
            Assert.DoesNotContain("c2VjcmV0", e.ToString());
        }

        [Fact]
        public void AuthThatIsNotUserColonPasswordIsATypedError()
        {
            string config = CredentialHelperScripts.WriteConfig("{\"auths\":{\"x\":{\"auth\":\"" + CredentialHelperScripts.Base64("no-colon-secret") + "\"}}}");
            var e = Assert.Throws<FailureException>(() => new DockerCredentialStore(config).GetCredential("x"));
            Assert.Equal("RegistryCredentialConfigInvalid", e.ErrorId);
            Assert.DoesNotContain("no-colon-secret", e.Message);
        }

        [Theory]
        [InlineData("https://registry.example", "https://registry.example/token")]
        [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5080/token")]
        [InlineData("http://localhost:5000", "http://localhost:5080/token")]
        [InlineData("http://[::1]:5000", "http://127.0.0.1:5080/token")]
        [InlineData("https://registry.example", "http://[::1]:5080/token")]           // the realm is on this machine
        [InlineData("http://127.0.0.1:5000", "http://10.1.2.3:5080/token")]           // listed insecure below
        public void AcceptedTokenRealms(string registry, string realm)
            => Assert.Equal(new Uri(realm), TokenRealmPolicy.Validate(realm, new Uri(registry), new[] { "http://10.1.2.3:5080/" }));

        [Theory]
        [InlineData("https://registry.example", "http://registry.example/token")]     // https registry, http realm
        [InlineData("http://10.1.2.4:5000", "http://10.1.2.4:5080/token")]           // plain http but not loopback
        [InlineData("http://127.0.0.1:5000", "http://192.0.2.10/token")]             // a loopback registry naming a remote http realm
        [InlineData("http://127.0.0.1:5000", "http://10.1.2.3:5081/token")]          // listed with another port
        [InlineData("http://127.0.0.1:5000", "ftp://127.0.0.1/token")]               // not http(s)
        [InlineData("http://127.0.0.1:5000", "token")]                                // not absolute
        [InlineData("http://127.0.0.1:5000", "")]
        public void RefusedTokenRealms(string registry, string realm)
        {
            var e = Assert.Throws<FailureException>(() => TokenRealmPolicy.Validate(realm, new Uri(registry), new[] { "10.1.2.3:5080" }));
            Assert.Equal("RegistryTokenRealmRefused", e.ErrorId);
            Assert.Equal(FailureCategory.SecurityError, e.Category);
        }

        [Theory]
        [InlineData("GET", "/v2/library/ubuntu/manifests/22.04", "repository:library/ubuntu:pull")]
        [InlineData("HEAD", "/v2/a/b/c/manifests/sha256:abc", "repository:a/b/c:pull")]
        [InlineData("GET", "/v2/x/blobs/sha256:abc", "repository:x:pull")]
        [InlineData("GET", "/v2/x/tags/list", "repository:x:pull")]
        [InlineData("PUT", "/v2/x/manifests/v1", "repository:x:pull,push")]
        [InlineData("GET", "/v2/", null)]
        [InlineData("GET", "/v2/_catalog", null)]
        public void ScopeFromThePath(string method, string path, string scope)
            => Assert.Equal(scope, RepositoryScope.FromRequest(new HttpRequestMessage(new HttpMethod(method), "http://r.example" + path)));

        [Fact]
        public void CredentialToStringNeverShowsTheSecret()
        {
            var credential = new RegistryCredential("alice", "s3cr3t-pass", "s3cr3t-token");
            Assert.DoesNotContain("s3cr3t", credential.ToString());
        }

        [Fact]
        public void ClearTextUsernameAndPasswordOfAnOlderConfigAreRead()
        {
            string config = CredentialHelperScripts.WriteConfig("{\"auths\":{\"https://Reg.Example:5000/v1/\":{\"username\":\"bob\",\"password\":\"pw:with:colons\"}}}");
            var store = new DockerCredentialStore(config);
            var credential = store.GetCredential("reg.example:5000");
            Assert.Equal("bob", credential.Username);
            Assert.Equal("pw:with:colons", credential.Password);
            Assert.Null(credential.IdentityToken);
            Assert.Equal(config, store.ConfigPath);
        }

        [Fact]
        public void AnAuthValueSplitsAtTheFirstColon()
        {
            string config = CredentialHelperScripts.WriteConfig("{\"auths\":{\"x\":{\"auth\":\"" + CredentialHelperScripts.Base64("u:p:q") + "\"}}}");
            var credential = new DockerCredentialStore(config).GetCredential("x");
            Assert.Equal("u", credential.Username);
            Assert.Equal("p:q", credential.Password);
        }

        [Theory]
        [InlineData("{\"auths\":{\"x\":\"not an object\"}}")]
        [InlineData("{\"auths\":{\"x\":{}}}")]
        [InlineData("{\"auths\":{\"x\":{\"auth\":\"\"}}}")]
        [InlineData("{\"auths\":{\"x\":{\"username\":\"bob\"}}}")]
        [InlineData("{\"auths\":{\"x\":{\"username\":\"\",\"password\":\"pw\"}}}")]
        [InlineData("{\"auths\":{\"x\":{\"username\":7,\"password\":\"pw\"}}}")]
        [InlineData("{\"auths\":{\"x\":{\"auth\":7,\"identitytoken\":\"\"}}}")]
        [InlineData("{\"auths\":[],\"credHelpers\":{\"x\":7},\"credsStore\":7}")]
        public void AnEntryWithoutAUsableSecretIsAnonymous(string json)
            => Assert.Null(new DockerCredentialStore(CredentialHelperScripts.WriteConfig(json)).GetCredential("x"));

        [Fact]
        public void AnIdentityTokenAloneIsACredential()
        {
            string config = CredentialHelperScripts.WriteConfig("{\"auths\":{\"x\":{\"identitytoken\":\"it-9\"}}}");
            var credential = new DockerCredentialStore(config).GetCredential("x");
            Assert.Equal("it-9", credential.IdentityToken);
            Assert.Null(credential.Password);
        }

        [Fact]
        public void AnAuthValueThatIsNotBase64IsATypedErrorNamingTheEntry()
        {
            string config = CredentialHelperScripts.WriteConfig("{\"auths\":{\"https://X.example/v1/\":{\"auth\":\"%%%not-base64\"}}}");
            var e = Assert.Throws<FailureException>(() => new DockerCredentialStore(config).GetCredential("x.example"));
            Assert.Equal("RegistryCredentialConfigInvalid", e.ErrorId);
            Assert.Equal("The Docker config " + config + " cannot be used for credentials: the auths entry for x.example has an \"auth\" value that is not base64.", e.Message);
        }

        [Fact]
        public void AConfigWhoseTopLevelIsNotAnObjectIsATypedError()
        {
            string config = CredentialHelperScripts.WriteConfig("[]");
            var e = Assert.Throws<FailureException>(() => new DockerCredentialStore(config).GetCredential("x"));
            Assert.Equal("The Docker config " + config + " cannot be used for credentials: the top level is not a JSON object.", e.Message);
        }

        [Fact]
        public void AnExactKeyWinsOverAnotherSpellingOfTheSameHost()
        {
            string config = CredentialHelperScripts.WriteConfig("{\"auths\":{\"https://x.example/v1/\":{\"auth\":\"" + CredentialHelperScripts.Base64("old:1") + "\"},"
                + "\"x.example\":{\"auth\":\"" + CredentialHelperScripts.Base64("new:2") + "\"}}}");
            Assert.Equal("new", new DockerCredentialStore(config).GetCredential("x.example").Username);
        }

        [Fact]
        public void TheLogSaysWhereCredentialsCameFromWithoutTheSecret()
        {
            var lines = new System.Collections.Generic.List<string>();
            string config = CredentialHelperScripts.WriteConfig("{\"auths\":{\"x.example\":{\"auth\":\"" + CredentialHelperScripts.Base64("u:s3cr3t") + "\"}}}");
            var store = new DockerCredentialStore(config, log: lines.Add);
            store.GetCredential("x.example");
            store.GetCredential("y.example");
            new DockerCredentialStore("/nonexistent/dt-auth/config.json", log: lines.Add).GetCredential("y.example");
            Assert.Equal(new[]
            {
                "Credentials for x.example: auths entry of " + config,
                "No credentials for y.example in " + config + ": anonymous",
                "No credentials for y.example in any Docker config: anonymous",
            }, lines);
        }
    }
}
