using System;
using System.Collections.Generic;
using System.Linq;
using Docker.DotNet.Models;
using Version = System.Version;
using ContainerSpec = DigestTools.Engine.Docker.ContainerSpec;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// The create request as docker create sends it: what is not set (null or empty) is left out (null) so the
    /// engine applies its own default, and each setting lands in its field.
    /// </summary>
    public sealed class ContainerSpecTranslatorTests
    {
        private static readonly Version Api141 = new Version(1, 41);
        private static readonly string Image = "127.0.0.1:5000/app@sha256:" + new string('c', 64);

        [Fact]
        public void TheCreateRequestCarriesTheExactPinnedImageAndEverySetting()
        {
            var spec = new ContainerSpec
            {
                Image = "127.0.0.1:5000/app@sha256:" + new string('a', 64),
                Name = "db-1",
                Command = new[] { "sh", "-c", "echo hi" },
                Environment = new Dictionary<string, string> { ["A"] = "1" },
                Labels = new Dictionary<string, string> { ["io.digesttools.digest"] = "sha256:" + new string('a', 64) },
                Volumes = new List<string> { "/host:/data:ro" },
                Ports = new List<PortSpec> { PortSpec.Parse("8080:80"), PortSpec.Parse("9090:80") },
                RestartPolicy = RestartPolicySpec.Parse("on-failure:2"),
                Network = "none",
                User = "1000",
                WorkingDirectory = "/work",
                AutoRemove = true,
            };
            var p = ContainerSpecTranslator.ToParameters(spec, Api141);
            Assert.Equal(spec.Image, p.Image);
            Assert.Equal("db-1", p.Name);
            Assert.Equal(new[] { "sh", "-c", "echo hi" }, p.Cmd);
            Assert.Equal(new[] { "A=1" }, p.Env);
            Assert.Equal("sha256:" + new string('a', 64), p.Labels["io.digesttools.digest"]);
            Assert.Equal(new[] { "/host:/data:ro" }, p.HostConfig.Binds);
            Assert.Equal(2, p.HostConfig.PortBindings["80/tcp"].Count);
            Assert.True(p.ExposedPorts.ContainsKey("80/tcp"));
            Assert.Equal(2, p.HostConfig.RestartPolicy.MaximumRetryCount);
            Assert.Equal("none", p.HostConfig.NetworkMode);
            Assert.Equal(("1000", "/work"), (p.User, p.WorkingDir));
            Assert.True(p.HostConfig.AutoRemove);
        }

        [Fact]
        public void EmptyCollectionsAndStringsAreLeftToTheEngine()
        {
            var spec = new ContainerSpec
            {
                Image = Image,
                Name = "",
                Command = new List<string>(),
                Entrypoint = new List<string>(),
                Network = "",
                User = "",
                WorkingDirectory = "",
                Platform = "",
            };
            CreateContainerParameters p = ContainerSpecTranslator.ToParameters(spec, Api141);
            Assert.Equal(Image, p.Image);
            Assert.Null(p.Name);
            Assert.Null(p.Cmd);
            Assert.Null(p.Entrypoint);
            Assert.Null(p.Env);
            Assert.Null(p.Labels);
            Assert.Null(p.User);
            Assert.Null(p.WorkingDir);
            Assert.Null(p.ExposedPorts);
            Assert.Null(p.Platform);
            Assert.Null(p.HostConfig.Binds);
            Assert.Null(p.HostConfig.Mounts);
            Assert.Null(p.HostConfig.NetworkMode);
            Assert.Null(p.HostConfig.PortBindings);
            Assert.Null(p.HostConfig.RestartPolicy);
            Assert.False(p.HostConfig.AutoRemove);
        }

        [Fact]
        public void NullCollectionsAreLeftToTheEngineToo()
        {
            var spec = new ContainerSpec { Image = Image, Environment = null, Labels = null, Volumes = null, Mounts = null, Ports = null };
            CreateContainerParameters p = ContainerSpecTranslator.ToParameters(spec, null);
            Assert.Null(p.Env);
            Assert.Null(p.Labels);
            Assert.Null(p.HostConfig.Binds);
            Assert.Null(p.HostConfig.Mounts);
            Assert.Null(p.HostConfig.PortBindings);
            Assert.Null(p.ExposedPorts);
        }

        [Fact]
        public void EntrypointEnvironmentMountsAndPortsLandInTheirFields()
        {
            var spec = new ContainerSpec
            {
                Image = Image,
                Entrypoint = new[] { "/bin/sh", "-c" },
                Environment = new Dictionary<string, string> { ["A"] = "1", ["B"] = "x=y" },
                Mounts = new List<MountSpec> { MountSpec.Parse("type=bind,source=/src,target=/dst,readonly"), MountSpec.Parse("target=/cache") },
                Ports = new List<PortSpec> { PortSpec.Parse("127.0.0.1:8080:80"), PortSpec.Parse("8081:80"), PortSpec.Parse("53/udp") },
            };
            CreateContainerParameters p = ContainerSpecTranslator.ToParameters(spec, Api141);
            Assert.Equal(new[] { "/bin/sh", "-c" }, p.Entrypoint);
            Assert.Equal(new[] { "A=1", "B=x=y" }, p.Env);
            Assert.Equal(new (string, string, string, bool?)[] { ("bind", "/src", "/dst", true), ("volume", null, "/cache", false) },
                p.HostConfig.Mounts.Select(m => (m.Type, m.Source, m.Target, m.ReadOnly)).ToArray());
            Assert.Equal(new[] { "53/udp", "80/tcp" }, p.ExposedPorts.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray());
            Assert.Equal(new[] { ("127.0.0.1", "8080"), ("", "8081") }, p.HostConfig.PortBindings["80/tcp"].Select(b => (b.HostIP, b.HostPort)).ToArray());
            Assert.Equal(new[] { ("", "") }, p.HostConfig.PortBindings["53/udp"].Select(b => (b.HostIP, b.HostPort)).ToArray());
        }

        [Theory]
        [InlineData("no", RestartPolicyKind.No, 0)]
        [InlineData("always", RestartPolicyKind.Always, 0)]
        [InlineData("unless-stopped", RestartPolicyKind.UnlessStopped, 0)]
        [InlineData("on-failure:4", RestartPolicyKind.OnFailure, 4)]
        public void EachRestartPolicyBecomesItsKind(string text, RestartPolicyKind kind, long retries)
        {
            var spec = new ContainerSpec { Image = Image, RestartPolicy = RestartPolicySpec.Parse(text) };
            RestartPolicy policy = ContainerSpecTranslator.ToParameters(spec, Api141).HostConfig.RestartPolicy;
            Assert.Equal((kind, retries), (policy.Name, policy.MaximumRetryCount));
        }

        [Fact]
        public void APlatformIsSentAsGivenAndRefusedBelowApi141WithTheVersionsNamed()
        {
            var spec = new ContainerSpec { Image = Image, Platform = "linux/arm64/v8" };
            Assert.Equal("linux/arm64/v8", ContainerSpecTranslator.ToParameters(spec, new Version(1, 42)).Platform);
            Assert.Equal("linux/arm64/v8", ContainerSpecTranslator.ToParameters(spec, new Version(1, 41)).Platform);   // exactly the first API that has it
            Assert.Equal("linux/arm64/v8", ContainerSpecTranslator.ToParameters(spec, null).Platform);
            FailureException e = Assert.Throws<FailureException>(() => ContainerSpecTranslator.ToParameters(spec, new Version(1, 40)));
            Assert.Equal(ErrorCatalog.EngineApiTooOld, e.Kind);
            Assert.Equal($"Choosing a platform at container creation needs engine API {EngineApiVersion.CreatePlatform}; this engine speaks 1.40.", e.Message);
        }
    }
}
