using System;
using System.Collections.Generic;
using System.Linq;
using DigestTools.Engine.Docker;
using Docker.DotNet.Models;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// What a SwarmServiceSpec becomes in the engine's service spec (`docker service create` semantics): every
    /// value where the engine reads it, and nothing sent for what the caller left out (Swarm's defaults then apply).
    /// </summary>
    public sealed class SwarmServiceSpecTranslatorTests
    {
        private const string Image = "127.0.0.1:5000/app:v1@sha256:aaaa";

        [Fact]
        public void AnImageAloneIsOneReplicaAndLeavesEverythingElseToSwarm()
        {
            ServiceSpec s = SwarmServiceSpecTranslator.ToServiceSpec(new SwarmServiceSpec { Image = Image });
            Docker.DotNet.Models.ContainerSpec c = s.TaskTemplate.ContainerSpec;
            Assert.Equal(Image, c.Image);
            Assert.Null(s.Name);
            Assert.Null(s.Labels);
            Assert.Null(c.Labels);
            Assert.Null(c.Command);
            Assert.Null(c.Args);
            Assert.Null(c.Env);
            Assert.Null(c.Mounts);
            Assert.Null(c.User);
            Assert.Null(c.Dir);
            Assert.Null(s.TaskTemplate.Networks);
            Assert.Null(s.TaskTemplate.Placement);
            Assert.Null(s.TaskTemplate.RestartPolicy);
            Assert.Null(s.UpdateConfig);
            Assert.Null(s.EndpointSpec);
            Assert.Null(s.Mode.Global);
            Assert.Equal(1UL, s.Mode.Replicated.Replicas);
        }

        [Fact]
        public void EmptyCollectionsAndEmptyTextAreLeftOutLikeMissingOnes()
        {
            ServiceSpec s = SwarmServiceSpecTranslator.ToServiceSpec(new SwarmServiceSpec
            {
                Image = Image, Command = new string[0], Entrypoint = new string[0], User = "", WorkingDirectory = "",
            });
            Assert.Null(s.TaskTemplate.ContainerSpec.Command);
            Assert.Null(s.TaskTemplate.ContainerSpec.Args);
            Assert.Null(s.TaskTemplate.ContainerSpec.User);
            Assert.Null(s.TaskTemplate.ContainerSpec.Dir);
        }

        [Fact]
        public void EveryTaskValueGoesWhereTheEngineReadsIt()
        {
            ServiceSpec s = SwarmServiceSpecTranslator.ToServiceSpec(new SwarmServiceSpec
            {
                Name = "web",
                Image = Image,
                Replicas = 3,
                Labels = new Dictionary<string, string> { ["svc"] = "1" },
                ContainerLabels = new Dictionary<string, string> { ["ctr"] = "2" },
                Entrypoint = new[] { "/bin/sh", "-c" },
                Command = new[] { "echo hi" },
                Environment = new Dictionary<string, string> { ["A"] = "1", ["B"] = "x=y" },
                Mounts = new[] { MountSpec.Parse("type=bind,source=/srv,target=/data,readonly"), MountSpec.Parse("type=tmpfs,target=/tmp") },
                User = "1000:1000",
                WorkingDirectory = "/work",
                Networks = new[] { "front", "back" },
                Constraints = new[] { "node.role==manager" },
            });
            Docker.DotNet.Models.ContainerSpec c = s.TaskTemplate.ContainerSpec;
            Assert.Equal("web", s.Name);
            Assert.Equal(3UL, s.Mode.Replicated.Replicas);
            Assert.Equal(new Dictionary<string, string> { ["svc"] = "1" }, s.Labels);
            Assert.Equal(new Dictionary<string, string> { ["ctr"] = "2" }, c.Labels);
            // Swarm's Command is the entrypoint and Args the command, as `docker service create` maps them.
            Assert.Equal(new[] { "/bin/sh", "-c" }, c.Command);
            Assert.Equal(new[] { "echo hi" }, c.Args);
            Assert.Equal(new[] { "A=1", "B=x=y" }, c.Env);
            Assert.Collection(c.Mounts,
                m => Assert.Equal(("bind", "/srv", "/data", true), (m.Type, m.Source, m.Target, m.ReadOnly)),
                m => Assert.Equal(("tmpfs", (string)null, "/tmp", false), (m.Type, m.Source, m.Target, m.ReadOnly)));
            Assert.Equal("1000:1000", c.User);
            Assert.Equal("/work", c.Dir);
            Assert.Equal(new[] { "front", "back" }, Array.ConvertAll(s.TaskTemplate.Networks.ToArray(), n => n.Target));
            Assert.Equal(new[] { "node.role==manager" }, s.TaskTemplate.Placement.Constraints);
        }

        [Fact]
        public void GlobalModeHasNoReplicaCount()
        {
            ServiceSpec s = SwarmServiceSpecTranslator.ToServiceSpec(new SwarmServiceSpec { Image = Image, Global = true, Replicas = 5 });
            Assert.NotNull(s.Mode.Global);
            Assert.Null(s.Mode.Replicated);
        }

        [Theory]
        [InlineData("on-failure", null, null)]
        [InlineData(null, 4UL, null)]
        [InlineData(null, null, 7.0)]
        public void AnyOneRestartValueSendsARestartPolicyWithJustThatValue(string condition, ulong? attempts, double? delaySeconds)
        {
            TimeSpan? delay = delaySeconds.HasValue ? TimeSpan.FromSeconds(delaySeconds.Value) : (TimeSpan?)null;
            ServiceSpec s = SwarmServiceSpecTranslator.ToServiceSpec(new SwarmServiceSpec
            {
                Image = Image, RestartCondition = condition, RestartMaxAttempts = attempts, RestartDelay = delay,
            });
            SwarmRestartPolicy p = s.TaskTemplate.RestartPolicy;
            Assert.Equal((condition, attempts, delay), (p.Condition, p.MaxAttempts, p.Delay));
        }

        [Theory]
        [InlineData(2UL, null, null, null, null)]
        [InlineData(null, 5.0, null, null, null)]
        [InlineData(null, null, "rollback", null, null)]
        [InlineData(null, null, null, "start-first", null)]
        [InlineData(null, null, null, null, 9.0)]
        public void AnyOneUpdateValueSendsAnUpdateConfigThatKeepsOneTaskAtATimeUnlessTold(
            ulong? parallelism, double? delaySeconds, string failureAction, string order, double? monitorSeconds)
        {
            TimeSpan? delay = delaySeconds.HasValue ? TimeSpan.FromSeconds(delaySeconds.Value) : (TimeSpan?)null;
            TimeSpan? monitor = monitorSeconds.HasValue ? TimeSpan.FromSeconds(monitorSeconds.Value) : (TimeSpan?)null;
            ServiceSpec s = SwarmServiceSpecTranslator.ToServiceSpec(new SwarmServiceSpec
            {
                Image = Image, UpdateParallelism = parallelism, UpdateDelay = delay, UpdateFailureAction = failureAction,
                UpdateOrder = order, UpdateMonitor = monitor,
            });
            SwarmUpdateConfig u = s.UpdateConfig;
            Assert.Equal(parallelism ?? 1, u.Parallelism);
            Assert.Equal((delay, failureAction, order, monitor), (u.Delay, u.FailureAction, u.Order, u.Monitor));
        }

        [Fact]
        public void PortsArePublishedInIngressModeAndAnEmptyHostPortLetsSwarmChoose()
        {
            ServiceSpec s = SwarmServiceSpecTranslator.ToServiceSpec(new SwarmServiceSpec
            {
                Image = Image, Ports = new[] { PortSpec.Parse("8080:80"), PortSpec.Parse("53/udp") },
            });
            Assert.Collection(s.EndpointSpec.Ports,
                p => Assert.Equal(("tcp", 80u, (uint?)8080, "ingress"), (p.Protocol, p.TargetPort, p.PublishedPort, p.PublishMode)),
                p => Assert.Equal(("udp", 53u, (uint?)null, "ingress"), (p.Protocol, p.TargetPort, p.PublishedPort, p.PublishMode)));
        }
    }
}
