using System;
using System.Collections.Generic;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Swarm;
using Xunit;

namespace DigestTools.Tests.Swarm
{
    /// <summary>How our service spec becomes the engine's: docker service create semantics.</summary>
    public sealed class SwarmServiceSpecTranslatorTests
    {
        [Fact]
        public void CommandIsArgsAndEntrypointIsCommandLikeTheDockerCli()
        {
            var spec = new SwarmServiceSpec { Image = "r/a:1@sha256:" + new string('a', 64), Command = new[] { "sleep", "5" }, Entrypoint = new[] { "/bin/sh", "-c" } };
            global::Docker.DotNet.Models.ServiceSpec s = SwarmServiceSpecTranslator.ToServiceSpec(spec);
            Assert.Equal(new[] { "sleep", "5" }, s.TaskTemplate.ContainerSpec.Args);
            Assert.Equal(new[] { "/bin/sh", "-c" }, s.TaskTemplate.ContainerSpec.Command);
            Assert.Equal(spec.Image, s.TaskTemplate.ContainerSpec.Image);
        }

        [Fact]
        public void GlobalModeHasNoReplicasAndReplicatedModeKeepsTheCount()
        {
            Assert.NotNull(SwarmServiceSpecTranslator.ToServiceSpec(new SwarmServiceSpec { Global = true }).Mode.Global);
            Assert.Null(SwarmServiceSpecTranslator.ToServiceSpec(new SwarmServiceSpec { Global = true }).Mode.Replicated);
            Assert.Equal(3UL, SwarmServiceSpecTranslator.ToServiceSpec(new SwarmServiceSpec { Replicas = 3 }).Mode.Replicated.Replicas);
        }

        [Fact]
        public void UpdateSettingsAreLeftToSwarmUnlessGivenAndParallelismDefaultsToOne()
        {
            Assert.Null(SwarmServiceSpecTranslator.ToServiceSpec(new SwarmServiceSpec()).UpdateConfig);
            var s = SwarmServiceSpecTranslator.ToServiceSpec(new SwarmServiceSpec { UpdateFailureAction = "rollback", UpdateDelay = TimeSpan.FromSeconds(2) });
            Assert.Equal(1UL, s.UpdateConfig.Parallelism);
            Assert.Equal("rollback", s.UpdateConfig.FailureAction);
            Assert.Equal(TimeSpan.FromSeconds(2), s.UpdateConfig.Delay);
        }

        [Fact]
        public void PortsPublishThroughTheRoutingMeshAndAMissingPublishedPortIsLeftToSwarm()
        {
            var s = SwarmServiceSpecTranslator.ToServiceSpec(new SwarmServiceSpec { Ports = new List<PortSpec> { PortSpec.Parse("8080:80/udp"), PortSpec.Parse("443") } });
            Assert.Equal(80U, s.EndpointSpec.Ports[0].TargetPort);
            Assert.Equal(8080U, s.EndpointSpec.Ports[0].PublishedPort);
            Assert.Equal("udp", s.EndpointSpec.Ports[0].Protocol);
            Assert.Equal("ingress", s.EndpointSpec.Ports[0].PublishMode);
            Assert.Null(s.EndpointSpec.Ports[1].PublishedPort);
        }

        [Fact]
        public void PinLabelsWinOverUserLabelsOfTheSameName()
        {
            var pin = new ServiceImagePin("r", "r/a", "1", "sha256:" + new string('b', 64), "r/a:1");
            IDictionary<string, string> labels = PinnedServiceCreator.WithPinLabels(new Dictionary<string, string> { [PinLabels.Digest] = "mine", ["x"] = "y" }, pin);
            Assert.Equal(pin.Digest, labels[PinLabels.Digest]);
            Assert.Equal("r/a@" + pin.Digest, labels[PinLabels.PinnedReference]);
            Assert.Equal("y", labels["x"]);
        }
    }
}
