using System.Collections.Generic;
using DigestTools.Engine.Docker;
using Docker.DotNet.Models;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// A container's inspect answer read into what drift compares and -FromContainer copies: each field from where
    /// Docker and Podman put it, empty values as "not set", and an answer with whole sections missing.
    /// </summary>
    public sealed class ContainerConfigurationReaderTests
    {
        [Fact]
        public void ReadsEveryFieldFromWhereTheEnginePutsIt()
        {
            ContainerConfiguration c = ContainerConfigurationReader.Read(new ContainerInspectResponse
            {
                ID = "1a2b",
                Name = "/web",
                Image = "sha256:feed",
                State = new() { Status = "running" },
                Config = new ContainerConfig
                {
                    Image = "r/app@sha256:aa",
                    Labels = new Dictionary<string, string> { ["k"] = "v" },
                    Cmd = new List<string> { "echo", "hi" },
                    Entrypoint = new List<string> { "/bin/sh", "-c" },
                    Env = new List<string> { "A=1" },
                    User = "1000",
                    WorkingDir = "/work",
                },
                HostConfig = new HostConfig
                {
                    Binds = new List<string> { "/srv:/data:ro" },
                    Mounts = new List<Mount> { new Mount { Type = "volume", Source = "vol", Target = "/v", ReadOnly = true } },
                    Tmpfs = new Dictionary<string, string> { ["/z"] = "size=1m", ["/a"] = "" },
                    NetworkMode = "bridge",
                    RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.OnFailure, MaximumRetryCount = 3 },
                    PortBindings = new Dictionary<string, IList<PortBinding>>
                    {
                        ["80/tcp"] = new List<PortBinding> { new PortBinding { HostIP = "127.0.0.1", HostPort = "8080" }, new PortBinding { HostPort = "8081" } },
                    },
                },
                NetworkSettings = new NetworkSettings
                {
                    Networks = new Dictionary<string, EndpointSettings> { ["zeta"] = new EndpointSettings(), ["bridge"] = new EndpointSettings() },
                },
            });
            Assert.Equal(("1a2b", "web", "r/app@sha256:aa", "sha256:feed", "running"), (c.Id, c.Name, c.ConfiguredImage, c.ImageId, c.State));
            Assert.Equal(new Dictionary<string, string> { ["k"] = "v" }, c.Labels);
            Assert.Equal(new[] { "echo", "hi" }, c.Command);
            Assert.Equal(new[] { "/bin/sh", "-c" }, c.Entrypoint);
            Assert.Equal(new[] { "A=1" }, c.Environment);
            Assert.Equal(new[] { "/srv:/data:ro" }, c.Binds);
            Assert.Collection(c.Mounts,
                m => Assert.Equal(("volume", "vol", "/v", true), (m.Type, m.Source, m.Target, m.ReadOnly)),
                m => Assert.Equal(("tmpfs", (string)null, "/a", false), (m.Type, m.Source, m.Target, m.ReadOnly)),
                m => Assert.Equal(("tmpfs", (string)null, "/z", false), (m.Type, m.Source, m.Target, m.ReadOnly)));
            Assert.Equal("bridge", c.NetworkMode);
            Assert.Equal(new[] { "bridge", "zeta" }, c.Networks);
            Assert.Equal(("on-failure", 3L), (c.RestartPolicy.Name, c.RestartPolicy.MaximumRetryCount));
            Assert.Equal("1000", c.User);
            Assert.Equal("/work", c.WorkingDirectory);
            Assert.Equal(new[] { "127.0.0.1:8080->80/tcp", "8081->80/tcp" }, c.PublishedPorts);
        }

        [Fact]
        public void AnAnswerWithoutConfigHostConfigOrNetworksReadsAsNothingSet()
        {
            ContainerConfiguration c = ContainerConfigurationReader.Read(new ContainerInspectResponse { ID = "1a2b" });
            Assert.Empty(c.Labels);
            Assert.Empty(c.Command);
            Assert.Empty(c.Entrypoint);
            Assert.Empty(c.Environment);
            Assert.Empty(c.Binds);
            Assert.Empty(c.Mounts);
            Assert.Null(c.NetworkMode);
            Assert.Empty(c.Networks);
            Assert.Null(c.RestartPolicy);
            Assert.Null(c.User);
            Assert.Null(c.WorkingDirectory);
            Assert.Empty(c.PublishedPorts);
        }

        [Fact]
        public void EmptyTextIsNotSetAndAPortWithoutBindingsPublishesNothing()
        {
            ContainerConfiguration c = ContainerConfigurationReader.Read(new ContainerInspectResponse
            {
                Config = new ContainerConfig { User = "", WorkingDir = "" },
                HostConfig = new HostConfig
                {
                    NetworkMode = "",
                    PortBindings = new Dictionary<string, IList<PortBinding>> { ["80/tcp"] = null, ["81/tcp"] = new List<PortBinding> { new PortBinding { HostIP = "", HostPort = "9" } } },
                },
            });
            Assert.Null(c.User);
            Assert.Null(c.WorkingDirectory);
            Assert.Null(c.NetworkMode);
            Assert.Equal(new[] { "9->81/tcp" }, c.PublishedPorts);
        }

        [Theory]
        [InlineData(RestartPolicyKind.Always, 0L, "always", 0L)]
        [InlineData(RestartPolicyKind.UnlessStopped, 0L, "unless-stopped", 0L)]
        [InlineData(RestartPolicyKind.OnFailure, 0L, "on-failure", 0L)]
        [InlineData(RestartPolicyKind.OnFailure, 1L, "on-failure", 1L)]
        public void ReadsTheRestartPolicyTheEngineReports(RestartPolicyKind kind, long retries, string name, long expectedRetries)
        {
            RestartPolicySpec p = ContainerConfigurationReader.Read(new ContainerInspectResponse
            {
                HostConfig = new HostConfig { RestartPolicy = new RestartPolicy { Name = kind, MaximumRetryCount = retries } },
            }).RestartPolicy;
            Assert.Equal((name, expectedRetries), (p.Name, p.MaximumRetryCount));
        }

        [Fact]
        public void NoRestartPolicyIsNull()
            => Assert.Null(ContainerConfigurationReader.Read(new ContainerInspectResponse
            {
                HostConfig = new HostConfig { RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No } },
            }).RestartPolicy);
    }
}
