using System;
using System.Collections.Generic;
using System.IO;
using DigestTools.Engine.Docker;
using Xunit;
using DigestTools.Engine.Errors;

namespace DigestTools.Tests
{
    public sealed class EngineEndpointResolverTests : IDisposable
    {
        private readonly string _configFolder = Path.Combine(Path.GetTempPath(), "dt-engine-xunit-" + Guid.NewGuid().ToString("n"));
        private readonly Dictionary<string, string> _env = new Dictionary<string, string>();

        public EngineEndpointResolverTests() => Directory.CreateDirectory(_configFolder);

        public void Dispose() => Directory.Delete(_configFolder, recursive: true);

        private EngineEndpointResolver Resolver(bool windows = false)
            => new EngineEndpointResolver(name => _env.TryGetValue(name, out string v) ? v : null, _configFolder, windows);

        private void WriteContext(string name, string host)
        {
            string folder = Path.Combine(_configFolder, "contexts", "meta", EngineEndpointResolver.Sha256Hex(name));
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "meta.json"), "{\"Name\":\"" + name + "\",\"Endpoints\":{\"docker\":{\"Host\":\"" + host + "\",\"SkipTLSVerify\":false}}}");
        }

        [Fact]
        public void DefaultsToTheUnixSocketElsewhereAndTheNamedPipeOnWindows()
        {
            Assert.Equal("unix:///var/run/docker.sock", Resolver().Resolve(null).Address.OriginalString);
            Assert.Equal("npipe://./pipe/docker_engine", Resolver(windows: true).Resolve(null).Address.OriginalString);
            Assert.Equal("default", Resolver().Resolve(null).Source);
        }

        [Fact]
        public void ExplicitAddressWinsOverDockerHostAndContext()
        {
            _env["DOCKER_HOST"] = "unix:///from/env.sock";
            _env["DOCKER_CONTEXT"] = "remote";
            WriteContext("remote", "tcp://10.0.0.1:2375");
            EngineEndpoint endpoint = Resolver().Resolve("unix:///explicit.sock");
            Assert.Equal("unix:///explicit.sock", endpoint.Address.OriginalString);
            Assert.Equal("-EngineUri", endpoint.Source);
        }

        [Fact]
        public void DockerHostWinsOverDockerContext()
        {
            _env["DOCKER_HOST"] = "unix:///from/env.sock";
            _env["DOCKER_CONTEXT"] = "remote";
            WriteContext("remote", "tcp://10.0.0.1:2375");
            Assert.Equal("unix:///from/env.sock", Resolver().Resolve(null).Address.OriginalString);
        }

        [Fact]
        public void DockerContextIsReadFromItsMetaFileNamedBySha256()
        {
            _env["DOCKER_CONTEXT"] = "remote";
            WriteContext("remote", "tcp://10.0.0.1:2375");
            EngineEndpoint endpoint = Resolver().Resolve(null);
            Assert.Equal("tcp://10.0.0.1:2375", endpoint.Address.OriginalString);
            Assert.Contains("remote", endpoint.Source);
        }

        [Fact]
        public void CurrentContextOfTheConfigFileIsUsedWithoutDockerContext()
        {
            File.WriteAllText(Path.Combine(_configFolder, "config.json"), "{\"currentContext\":\"podman\"}");
            WriteContext("podman", "unix:///run/podman/podman.sock");
            Assert.Equal("unix:///run/podman/podman.sock", Resolver().Resolve(null).Address.OriginalString);
        }

        [Fact]
        public void DefaultContextMeansTheDefaultAddress()
        {
            _env["DOCKER_CONTEXT"] = "default";
            Assert.Equal("unix:///var/run/docker.sock", Resolver().Resolve(null).Address.OriginalString);
        }

        [Fact]
        public void UnknownContextIsReportedWithItsName()
        {
            _env["DOCKER_CONTEXT"] = "missing";
            FailureException e = Assert.Throws<FailureException>(() => Resolver().Resolve(null));
            Assert.Equal("EngineContextNotFound", e.ErrorId);
            Assert.Contains("missing", e.Message);
        }

        [Fact]
        public void TcpTakesTlsSettingsFromTheEnvironment()
        {
            _env["DOCKER_HOST"] = "tcp://127.0.0.1:2376";
            _env["DOCKER_TLS_VERIFY"] = "1";
            _env["DOCKER_CERT_PATH"] = "/certs";
            EngineEndpoint endpoint = Resolver().Resolve(null);
            Assert.True(endpoint.TlsVerify);
            Assert.True(endpoint.UsesTls);
            Assert.Equal("/certs", endpoint.CertificatePath);
        }

        [Fact]
        public void TlsVerifyWithoutCertPathUsesTheDockerConfigFolder()
        {
            _env["DOCKER_HOST"] = "tcp://127.0.0.1:2376";
            _env["DOCKER_TLS_VERIFY"] = "1";
            Assert.Equal(_configFolder, Resolver().Resolve(null).CertificatePath);
        }

        [Fact]
        public void UnixSocketsIgnoreTlsSettings()
        {
            _env["DOCKER_HOST"] = "unix:///var/run/docker.sock";
            _env["DOCKER_TLS_VERIFY"] = "1";
            Assert.False(Resolver().Resolve(null).UsesTls);
        }

        [Fact]
        public void PlainTcpIsNotTls()
        {
            _env["DOCKER_HOST"] = "tcp://127.0.0.1:2375";
            Assert.False(Resolver().Resolve(null).UsesTls);
        }

        [Theory]
        [InlineData("ssh://user@host")]
        [InlineData("ftp://host")]
        [InlineData("tcp://")]
        public void UnsupportedAddressesAreRejectedWithTheirSource(string address)
        {
            FailureException e = Assert.Throws<FailureException>(() => Resolver().Resolve(address));
            Assert.Equal("InvalidEngineUri", e.ErrorId);
            Assert.Contains("-EngineUri", e.Message);
        }

        [Fact]
        public void HostAndPortAloneMeanTcp()
            => Assert.Equal("tcp", Resolver().Resolve("127.0.0.1:2375").Address.Scheme);

        [Fact]
        public void EachEndpointNamesWhereItCameFrom()
        {
            Assert.Equal("-EngineUri", Resolver().Resolve(" unix:///x.sock ").Source);
            _env["DOCKER_HOST"] = "unix:///from/env.sock";
            Assert.Equal("DOCKER_HOST", Resolver().Resolve(null).Source);
            _env.Remove("DOCKER_HOST");
            _env["DOCKER_CONTEXT"] = "remote";
            WriteContext("remote", "tcp://10.0.0.1:2375");
            Assert.Equal("DOCKER_CONTEXT=remote", Resolver().Resolve(null).Source);
            _env.Remove("DOCKER_CONTEXT");
            File.WriteAllText(Path.Combine(_configFolder, "config.json"), "{\"currentContext\":\"remote\"}");
            Assert.Equal("config.json currentContext=remote", Resolver().Resolve(null).Source);
        }

        [Theory]
        [InlineData("[1,2]")]
        [InlineData("{\"currentContext\":7}")]
        [InlineData("{\"currentContext\":")]
        [InlineData("{}")]
        public void AConfigWithoutAUsableCurrentContextMeansTheDefault(string json)
        {
            File.WriteAllText(Path.Combine(_configFolder, "config.json"), json);
            EngineEndpoint endpoint = Resolver().Resolve(null);
            Assert.Equal(("unix:///var/run/docker.sock", "default"), (endpoint.Address.OriginalString, endpoint.Source));
        }

        [Fact]
        public void ContextProblemsAreReportedWithTheFileAndTheContext()
        {
            _env["DOCKER_CONTEXT"] = "missing";
            string missingFile = Path.Combine(_configFolder, "contexts", "meta", EngineEndpointResolver.Sha256Hex("missing"), "meta.json");
            FailureException absent = Assert.Throws<FailureException>(() => Resolver().Resolve(null));
            Assert.Equal($"The docker context 'missing' (DOCKER_CONTEXT=missing) was not found: {missingFile} does not exist.", absent.Message);

            _env["DOCKER_CONTEXT"] = "broken";
            string folder = Path.Combine(_configFolder, "contexts", "meta", EngineEndpointResolver.Sha256Hex("broken"));
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "meta.json"), "{\"Endpoints\":{\"kubernetes\":{\"Host\":\"x\"}}}");
            FailureException noDocker = Assert.Throws<FailureException>(() => Resolver().Resolve(null));
            Assert.Equal(ErrorCatalog.EngineContextNotFound, noDocker.Kind);
            Assert.Equal($"The docker context 'broken' declares no docker endpoint in {Path.Combine(folder, "meta.json")}.", noDocker.Message);

            File.WriteAllText(Path.Combine(folder, "meta.json"), "{\"Endpoints\":{\"docker\":{\"Host\":7}}}");
            Assert.Equal(noDocker.Message, Assert.Throws<FailureException>(() => Resolver().Resolve(null)).Message);

            File.WriteAllText(Path.Combine(folder, "meta.json"), "{not json");
            FailureException unreadable = Assert.Throws<FailureException>(() => Resolver().Resolve(null));
            Assert.Equal(ErrorCatalog.EngineContextNotFound, unreadable.Kind);
            Assert.StartsWith($"The docker context 'broken' has an unreadable {Path.Combine(folder, "meta.json")}: ", unreadable.Message);
        }

        [Theory]
        [InlineData("ssh://user@host", "uses ssh://, which DigestTools does not support; forward the socket and use unix:// or tcp://.")]
        [InlineData("ftp://host", "has the unsupported scheme 'ftp' (use unix://, npipe://, tcp://).")]
        [InlineData("tcp://", "names no host.")]
        [InlineData("https://", "is not a valid URI.")]
        [InlineData("tcp://[oops", "is not a valid URI.")]
        public void AddressProblemsQuoteTheAddressAndItsSource(string address, string why)
        {
            _env["DOCKER_HOST"] = address;
            FailureException e = Assert.Throws<FailureException>(() => Resolver().Resolve(null));
            Assert.Equal(ErrorCatalog.InvalidEngineUri, e.Kind);
            Assert.Equal($"The engine address '{address}' from DOCKER_HOST {why}", e.Message);
        }

        [Theory]
        [InlineData("npipe://./pipe/other")]
        [InlineData("http://127.0.0.1:2375")]
        [InlineData("unix:///run/x.sock")]
        public void SupportedSchemesAreKeptAsGiven(string address)
            => Assert.Equal(address, Resolver().Resolve(address).Address.OriginalString);

        [Fact]
        public void HttpsIsTlsAndTakesTheCertificateFolder()
        {
            _env["DOCKER_CERT_PATH"] = "/certs";
            EngineEndpoint endpoint = Resolver().Resolve("https://127.0.0.1:2376");
            Assert.True(endpoint.UsesTls);
            Assert.False(endpoint.TlsVerify);
            Assert.Equal("/certs", endpoint.CertificatePath);
        }

        [Fact]
        public void TcpWithoutVerifyOrCertPathHasNoCertificateFolder()
        {
            _env["DOCKER_TLS_VERIFY"] = "";
            EngineEndpoint endpoint = Resolver().Resolve("tcp://127.0.0.1:2375");
            Assert.Null(endpoint.CertificatePath);
            Assert.False(endpoint.TlsVerify);
        }

        [Fact]
        public void TheConfigFolderComesFromDockerConfigThenHome()
        {
            var env = new Dictionary<string, string> { ["DOCKER_CONFIG"] = _configFolder, ["HOME"] = "/nowhere", ["DOCKER_HOST"] = "tcp://127.0.0.1:2376", ["DOCKER_TLS_VERIFY"] = "1" };
            // With DOCKER_TLS_VERIFY and no DOCKER_CERT_PATH the certificates are looked for in the config folder.
            string ConfigFolder() => new EngineEndpointResolver(n => env.TryGetValue(n, out string v) ? v : null, null, false).Resolve(null).CertificatePath;
            Assert.Equal(_configFolder, ConfigFolder());
            env.Remove("DOCKER_CONFIG");
            Assert.Equal(Path.Combine("/nowhere", ".docker"), ConfigFolder());
            env.Remove("HOME");
            env["USERPROFILE"] = "/profile";
            Assert.Equal(Path.Combine("/profile", ".docker"), ConfigFolder());
        }
    
        [Fact]
        public void AContextsFolderIsNamedByTheSha256HexOfItsNameAsTheDockerCliNamesIt()
            => Assert.Equal("37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f", EngineEndpointResolver.Sha256Hex("default"));

        [Fact]
        public void AnEmptyDockerCertPathWithoutVerifyIsNoTls()
        {
            _env["DOCKER_HOST"] = "tcp://127.0.0.1:2375";
            _env["DOCKER_CERT_PATH"] = "";
            EngineEndpoint endpoint = Resolver().Resolve(null);
            Assert.Null(endpoint.CertificatePath);
            Assert.False(endpoint.UsesTls);
        }

        [Fact]
        public void AnHttpsAddressSpeaksTlsWithoutACertificateFolder()
            => Assert.True(new EngineEndpoint(new Uri("https://127.0.0.1:2376"), "-EngineUri").UsesTls);
    }
}
