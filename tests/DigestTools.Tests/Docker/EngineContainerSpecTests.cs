using System;
using System.Collections.Generic;
using System.Linq;
using DigestTools.Engine.Docker;
using Xunit;
using DigestTools.Engine.Errors;

namespace DigestTools.Tests
{
    public sealed class EngineContainerSpecTests
    {
        [Theory]
        [InlineData("80", "", "", 80, "tcp")]
        [InlineData("8080:80", "", "8080", 80, "tcp")]
        [InlineData("127.0.0.1:8080:80/udp", "127.0.0.1", "8080", 80, "udp")]
        [InlineData("127.0.0.1::80", "127.0.0.1", "", 80, "tcp")]
        [InlineData("[::1]:8080:80", "::1", "8080", 80, "tcp")]
        public void PortsFollowDockersPublishGrammar(string text, string ip, string hostPort, int containerPort, string protocol)
        {
            PortSpec p = PortSpec.Parse(text);
            Assert.Equal(ip, p.HostIp);
            Assert.Equal(hostPort, p.HostPort);
            Assert.Equal(containerPort, p.ContainerPort);
            Assert.Equal(protocol, p.Protocol);
            Assert.Equal(containerPort + "/" + protocol, p.Key);
        }

        [Theory]
        [InlineData("")]
        [InlineData("80:http")]
        [InlineData("70000")]
        [InlineData("80/icmp")]
        [InlineData("1:2:3:4")]
        public void BadPortsAreRejected(string text)
            => Assert.Equal("InvalidPublishSpec", Assert.Throws<FailureException>(() => PortSpec.Parse(text)).ErrorId);

        [Fact]
        public void MountsReadTypeSourceTargetAndReadonly()
        {
            MountSpec m = MountSpec.Parse("type=bind,source=/data,target=/srv,readonly");
            Assert.Equal(("bind", "/data", "/srv", true), (m.Type, m.Source, m.Target, m.ReadOnly));
            Assert.Equal("volume", MountSpec.Parse("src=cache,dst=/cache").Type);
        }

        [Theory]
        [InlineData("type=bind,target=/x")]
        [InlineData("source=/x")]
        [InlineData("type=nfs,target=/x")]
        [InlineData("type=bind,source=/a,target=/b,colour=red")]
        public void BadMountsAreRejected(string text)
            => Assert.Equal("InvalidMountSpec", Assert.Throws<FailureException>(() => MountSpec.Parse(text)).ErrorId);

        [Theory]
        [InlineData("no", "no", 0)]
        [InlineData("always", "always", 0)]
        [InlineData("unless-stopped", "unless-stopped", 0)]
        [InlineData("on-failure", "on-failure", 0)]
        [InlineData("on-failure:5", "on-failure", 5)]
        public void RestartPoliciesFollowDocker(string text, string name, long retries)
        {
            RestartPolicySpec r = RestartPolicySpec.Parse(text);
            Assert.Equal((name, retries), (r.Name, r.MaximumRetryCount));
        }

        [Theory]
        [InlineData("sometimes")]
        [InlineData("always:3")]
        [InlineData("on-failure:-1")]
        public void BadRestartPoliciesAreRejected(string text)
            => Assert.Equal("InvalidRestartPolicy", Assert.Throws<FailureException>(() => RestartPolicySpec.Parse(text)).ErrorId);

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
            var p = ContainerSpecTranslator.ToParameters(spec, new Version(1, 41));
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
        public void APlatformAtCreationNeedsApi141()
        {
            var spec = new ContainerSpec { Image = "x@sha256:" + new string('b', 64), Platform = "linux/arm64" };
            Assert.Equal("linux/arm64", ContainerSpecTranslator.ToParameters(spec, new Version(1, 41)).Platform);
            Assert.Equal("EngineApiTooOld", Assert.Throws<FailureException>(() => ContainerSpecTranslator.ToParameters(spec, new Version(1, 40))).ErrorId);
        }
    }
}
