using System.Collections.Generic;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Pinning;
using Xunit;

namespace DigestTools.Tests.Drift
{
    /// <summary>What replicas copy from a container, and what the caller's explicit values change.</summary>
    public sealed class ReplicaTemplateTests
    {
        private static readonly ContainerConfiguration Original = new ContainerConfiguration
        {
            Id = "0123456789ab" + new string('c', 52),
            Command = new[] { "sleep", "60" },
            Entrypoint = new string[0],
            Environment = new[] { "ROLE=primary", "KEEP=1", "HOSTNAME=0123456789ab", "EMPTY" },
            Labels = new Dictionary<string, string> { ["team"] = "db", ["io.digesttools.digest"] = "sha256:old" },
            Binds = new[] { "/data:/data:ro" },
            Mounts = new[] { MountSpec.Of("tmpfs", null, "/scratch", false) },
            NetworkMode = "none",
            RestartPolicy = RestartPolicySpec.Parse("always"),
            User = "1000",
            WorkingDirectory = "/tmp",
            PublishedPorts = new[] { "127.0.0.1:8080->80/tcp" },
        };

        private static ContainerSpec Explicit() => new ContainerSpec
        {
            Environment = new Dictionary<string, string> { ["ROLE"] = "replica" },
            Labels = new Dictionary<string, string> { ["extra"] = "1" },
            Ports = new List<PortSpec>(),
            WorkingDirectory = "/",
            Command = new[] { "true" },
        };

        [Fact]
        public void WithNothingGivenEverythingButPortsIsCopied()
        {
            ContainerSpec spec = ReplicaTemplate.Merge(Original, "linux/amd64", new ContainerSpec { Ports = new List<PortSpec>() }, new string[0]);
            Assert.Equal(new[] { "sleep", "60" }, spec.Command);
            Assert.Empty(spec.Entrypoint);
            Assert.Equal(new Dictionary<string, string> { ["ROLE"] = "primary", ["KEEP"] = "1", ["EMPTY"] = "" }, spec.Environment);   // the engine's own HOSTNAME is not copied
            Assert.Equal(new Dictionary<string, string> { ["team"] = "db" }, spec.Labels);   // io.digesttools.* are recomputed by the creator
            Assert.Equal(new[] { "/data:/data:ro" }, spec.Volumes);
            Assert.Equal("/scratch", Assert.Single(spec.Mounts).Target);
            Assert.Equal(("none", "always", "1000", "/tmp", "linux/amd64"), (spec.Network, spec.RestartPolicy.Name, spec.User, spec.WorkingDirectory, spec.Platform));
            Assert.Empty(spec.Ports);
        }

        [Fact]
        public void ExplicitValuesWinEnvironmentAndLabelsMergePerName()
        {
            ContainerSpec spec = ReplicaTemplate.Merge(Original, "linux/amd64", Explicit(), new[] { "Environment", "Label", "WorkingDirectory", "Command" });
            Assert.Equal("replica", spec.Environment["ROLE"]);
            Assert.Equal("1", spec.Environment["KEEP"]);
            Assert.Equal(new Dictionary<string, string> { ["team"] = "db", ["extra"] = "1" }, spec.Labels);
            Assert.Equal("/", spec.WorkingDirectory);
            Assert.Equal(new[] { "true" }, spec.Command);
            Assert.Equal("1000", spec.User);   // not given: copied
        }

        [Fact]
        public void TheEnginesDefaultNetworkIsLeftToTheEngine()
        {
            var original = new ContainerConfiguration { NetworkMode = "default" };
            Assert.Null(ReplicaTemplate.Merge(original, null, new ContainerSpec(), new string[0]).Network);
        }

        [Fact]
        public void EveryExplicitValueGivenReplacesTheCopiedOne()
        {
            var given = new[] { "Command", "Entrypoint", "Environment", "Label", "Volume", "Mount", "Network", "Publish", "RestartPolicy", "User", "WorkingDirectory", "Platform" };
            var explicitSpec = new ContainerSpec
            {
                Command = new[] { "run" },
                Entrypoint = new[] { "/bin/sh", "-c" },
                Environment = null,
                Labels = null,
                Volumes = new[] { "/other:/other" },
                Mounts = new[] { MountSpec.Of("tmpfs", null, "/elsewhere", false) },
                Network = "bridge",
                Ports = new List<PortSpec> { PortSpec.Parse("127.0.0.1:9090:80") },
                RestartPolicy = RestartPolicySpec.Parse("no"),
                User = "0",
                WorkingDirectory = "/srv",
                Platform = "linux/arm64",
            };

            ContainerSpec spec = ReplicaTemplate.Merge(Original, "linux/amd64", explicitSpec, given);

            Assert.Equal(new[] { "run" }, spec.Command);
            Assert.Equal(new[] { "/bin/sh", "-c" }, spec.Entrypoint);
            Assert.Equal(new Dictionary<string, string> { ["ROLE"] = "primary", ["KEEP"] = "1", ["EMPTY"] = "" }, spec.Environment);   // none given: copied
            Assert.Equal(new Dictionary<string, string> { ["team"] = "db" }, spec.Labels);
            Assert.Equal(new[] { "/other:/other" }, spec.Volumes);
            Assert.Equal("/elsewhere", Assert.Single(spec.Mounts).Target);
            Assert.Equal(("bridge", "no", "0", "/srv", "linux/arm64"), (spec.Network, spec.RestartPolicy.Name, spec.User, spec.WorkingDirectory, spec.Platform));
            Assert.Equal("9090", Assert.Single(spec.Ports).HostPort);   // never copied, but given: published
        }

        [Theory]
        [InlineData("0123456789abcdef", "HOSTNAME=0123456789ab", null)]   // Podman's own: the short id
        [InlineData("0123456789abcdef", "HOSTNAME=db1", "db1")]           // the user's
        [InlineData("abc", "HOSTNAME=abc", null)]                          // an id shorter than a short id
        [InlineData(null, "HOSTNAME=db1", "db1")]
        public void OnlyTheEnginesOwnHostNameIsDropped(string id, string entry, string expected)
        {
            var original = new ContainerConfiguration { Id = id, Environment = new[] { entry, "A=b=c" } };
            ContainerSpec spec = ReplicaTemplate.Merge(original, null, new ContainerSpec(), new string[0]);

            Assert.Equal("b=c", spec.Environment["A"]);
            if (expected == null) Assert.False(spec.Environment.ContainsKey("HOSTNAME"));
            else Assert.Equal(expected, spec.Environment["HOSTNAME"]);
        }
    }
}
