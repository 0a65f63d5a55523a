using System;
using System.IO;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
using DigestTools.Tests.Support;
using Xunit;
using DigestTools.Engine.Errors;

namespace DigestTools.Tests
{
    /// <summary>Config parsing and host matching of the Docker credential store (no registry: its config files are its own).</summary>
    public sealed class AuthCredentialStoreTests : IDisposable
    {
        private readonly string _files = Directory.CreateTempSubdirectory("dt-credstore-xunit-").FullName;

        public void Dispose() => Directory.Delete(_files, true);

        private string Config(string json) => CredentialHelperScripts.WriteConfig(json, _files);

        [Theory]
        [InlineData("docker.io")]
        [InlineData("index.docker.io")]
        [InlineData("registry-1.docker.io")]
        [InlineData("registry.hub.docker.com")]
        public void DockerHubHostsUseTheHubKey(string host)
        {
            string config = Config("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + CredentialHelperScripts.Base64("hubuser:hubpass") + "\"}}}");
            var credential = new DockerCredentialStore(config).GetCredential(host);
            Assert.Equal("hubuser", credential.Username);
            Assert.Equal("hubpass", credential.Password);
            Assert.Equal("https://index.docker.io/v1/", HostNames.ServerAddress(host));
        }

        [Fact]
        public void IdentityTokenEntrySupersedesThePassword()
        {
            string config = Config("{\"auths\":{\"reg.example:5000\":{\"auth\":\"" + CredentialHelperScripts.Base64("u:p") + "\",\"identitytoken\":\"it-123\"}}}");
            var credential = new DockerCredentialStore(config).GetCredential("reg.example:5000");
            Assert.Equal("it-123", credential.IdentityToken);
            Assert.Null(credential.Password);
        }

        [Fact]
        public void PortsMustMatch()
        {
            string config = Config("{\"auths\":{\"reg.example:5000\":{\"auth\":\"" + CredentialHelperScripts.Base64("u:p") + "\"}}}");
            Assert.Null(new DockerCredentialStore(config).GetCredential("reg.example:5001"));
            Assert.Null(new DockerCredentialStore(config).GetCredential("reg.example"));
        }

        [Fact]
        public void MissingConfigMeansAnonymous()
            => Assert.Null(new DockerCredentialStore("/nonexistent/dt-auth/config.json").GetCredential("reg.example"));

        [Fact]
        public void InvalidConfigIsATypedErrorThatDoesNotQuoteTheFile()
        {
            string config = Config("{\"auths\": {\"x\": {\"auth\": \"c2VjcmV0LXZhbHVl\" ");
            var e = Assert.Throws<FailureException>(() => new DockerCredentialStore(config).GetCredential("x"));
            Assert.Equal("RegistryCredentialConfigInvalid", e.ErrorId);
            Assert.Equal(FailureCategory.InvalidData, e.Category);
            Assert.Equal("The Docker config " + config + " cannot be used for credentials: it is not valid JSON.", e.Message);
            Assert.DoesNotContain("c2VjcmV0", e.ToString());
        }

        [Theory]
        [InlineData("/proc/self/mem", "it cannot be read (IOException)")]      // exists, but reading it from offset 0 fails (EIO)
        [InlineData("/proc/sys/vm/drop_caches", "access is denied")]          // write-only, even for root
        public void AConfigThatExistsButCannotBeReadIsATypedError(string config, string why)
        {
            var e = Assert.Throws<FailureException>(() => new DockerCredentialStore(config).GetCredential("x"));
            Assert.Equal("RegistryCredentialConfigInvalid", e.ErrorId);
            Assert.Equal(FailureCategory.InvalidData, e.Category);
            Assert.Equal("The Docker config " + config + " cannot be used for credentials: " + why + ".", e.Message);
        }

        [Fact]
        public void AuthThatIsNotUserColonPasswordIsATypedError()
        {
            string config = Config("{\"auths\":{\"x\":{\"auth\":\"" + CredentialHelperScripts.Base64("no-colon-secret") + "\"}}}");
            var e = Assert.Throws<FailureException>(() => new DockerCredentialStore(config).GetCredential("x"));
            Assert.Equal("RegistryCredentialConfigInvalid", e.ErrorId);
            Assert.Equal("The Docker config " + config + " cannot be used for credentials: the auths entry for x has an \"auth\" value that is not user:password.", e.Message);
            Assert.DoesNotContain("no-colon-secret", e.Message);
        }

        [Fact]
        public void CredentialToStringNeverShowsTheSecret()
        {
            var credential = new RegistryCredential("alice", "s3cr3t-pass", "s3cr3t-token");
            Assert.DoesNotContain("s3cr3t", credential.ToString());
        }

        [Fact]
        public void ClearTextUsernameAndPasswordOfAnOlderConfigAreRead()
        {
            string config = Config("{\"auths\":{\"https://Reg.Example:5000/v1/\":{\"username\":\"bob\",\"password\":\"pw:with:colons\"}}}");
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
            string config = Config("{\"auths\":{\"x\":{\"auth\":\"" + CredentialHelperScripts.Base64("u:p:q") + "\"}}}");
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
        [InlineData("{\"auths\":{\"x\":{\"username\":\"bob\",\"password\":7}}}")]
        [InlineData("{\"auths\":{\"x\":{\"auth\":\"OnB3\"}}}")]                     // ":pw": no user name
        [InlineData("{\"credHelpers\":\"docker\",\"credsStore\":\"\"}")]
        [InlineData("{\"auths\":[],\"credHelpers\":{\"x\":7},\"credsStore\":7}")]
        public void AnEntryWithoutAUsableSecretIsAnonymous(string json)
            => Assert.Null(new DockerCredentialStore(Config(json)).GetCredential("x"));

        [Fact]
        public void AnIdentityTokenAloneIsACredential()
        {
            string config = Config("{\"auths\":{\"x\":{\"identitytoken\":\"it-9\"}}}");
            var credential = new DockerCredentialStore(config).GetCredential("x");
            Assert.Equal("it-9", credential.IdentityToken);
            Assert.Null(credential.Password);
        }

        [Fact]
        public void AnAuthValueThatIsNotBase64IsATypedErrorNamingTheEntry()
        {
            string config = Config("{\"auths\":{\"https://X.example/v1/\":{\"auth\":\"%%%not-base64\"}}}");
            var e = Assert.Throws<FailureException>(() => new DockerCredentialStore(config).GetCredential("x.example"));
            Assert.Equal("RegistryCredentialConfigInvalid", e.ErrorId);
            Assert.Equal("The Docker config " + config + " cannot be used for credentials: the auths entry for x.example has an \"auth\" value that is not base64.", e.Message);
        }

        [Fact]
        public void AConfigWhoseTopLevelIsNotAnObjectIsATypedError()
        {
            string config = Config("[]");
            var e = Assert.Throws<FailureException>(() => new DockerCredentialStore(config).GetCredential("x"));
            Assert.Equal("The Docker config " + config + " cannot be used for credentials: the top level is not a JSON object.", e.Message);
        }

        [Fact]
        public void AnExactKeyWinsOverAnotherSpellingOfTheSameHost()
        {
            string config = Config("{\"auths\":{\"https://x.example/v1/\":{\"auth\":\"" + CredentialHelperScripts.Base64("old:1") + "\"},"
                + "\"x.example\":{\"auth\":\"" + CredentialHelperScripts.Base64("new:2") + "\"}}}");
            Assert.Equal("new", new DockerCredentialStore(config).GetCredential("x.example").Username);
        }

        [Fact]
        public void TheLogSaysWhereCredentialsCameFromWithoutTheSecret()
        {
            var lines = new System.Collections.Generic.List<string>();
            string config = Config("{\"auths\":{\"x.example\":{\"auth\":\"" + CredentialHelperScripts.Base64("u:s3cr3t") + "\"}}}");
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

        [Fact]
        public void AnIdentityTokenThatIsNotAStringIsIgnored()
        {
            var credential = new DockerCredentialStore(Config("{\"auths\":{\"x\":{\"auth\":\"" + CredentialHelperScripts.Base64("u:p") + "\",\"identitytoken\":7}}}")).GetCredential("x");
            Assert.Equal("u", credential.Username);
            Assert.Equal("p", credential.Password);
            Assert.Null(credential.IdentityToken);
        }

        [Fact]
        public void AnEmptyCredsStoreNamesNoHelper()
        {
            string config = Config("{\"credsStore\":\"\",\"auths\":{\"x\":{\"auth\":\"" + CredentialHelperScripts.Base64("u:p") + "\"}}}");
            Assert.Equal("u", new DockerCredentialStore(config).GetCredential("x").Username);
        }

        [Theory]
        [InlineData("{\"credsStore\":\"../evil\",\"auths\":{\"x\":{\"auth\":\"dTpw\"}}}", "../evil", "credsStore")]   // credsStore wins over auths
        [InlineData("{\"credHelpers\":{\"X\":\"a b\"},\"credsStore\":\"desktop\"}", "a b", "credHelpers")]           // credHelpers[host] wins over credsStore
        public void TheHelperTheConfigNamesIsUsedAndANameThatIsNoProgramNameIsRefused(string json, string helper, string from)
        {
            string config = Config(json);
            var lines = new System.Collections.Generic.List<string>();
            var e = Assert.Throws<FailureException>(() => new DockerCredentialStore(config, log: lines.Add).GetCredential("x"));
            Assert.Equal(new[] { "Credentials for x: credential helper docker-credential-" + helper + " (" + from + ")" }, lines);
            Assert.Equal("RegistryCredentialHelperFailed", e.ErrorId);
            Assert.Equal("Credential helper failed: '" + helper + "' in " + config + " is not a valid credential helper name.", e.Message);
        }

        [Theory]
        [InlineData("/etc/dt-docker", "/home/u", true)]
        [InlineData("", "/home/u", false)]
        [InlineData(null, "/home/u", false)]
        public void TheDefaultConfigIsDockerConfigsElseTheHomeFolders(string dockerConfig, string home, bool fromDockerConfig)
        {
            var environment = new System.Collections.Generic.Dictionary<string, string> { ["DOCKER_CONFIG"] = dockerConfig, ["HOME"] = home };
            string expected = fromDockerConfig ? Path.Combine("/etc/dt-docker", "config.json") : Path.Combine("/home/u", ".docker", "config.json");
            Assert.Equal(expected, DockerCredentialStore.DefaultConfigPath(name => environment[name]));
        }

        [Fact]
        public void WithoutDockerConfigAndHomeTheUserProfileHoldsTheConfig()
            => Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker", "config.json"),
                DockerCredentialStore.DefaultConfigPath(name => ""));
    }
}
