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
    }
}
