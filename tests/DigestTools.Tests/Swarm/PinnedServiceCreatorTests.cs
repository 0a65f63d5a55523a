using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Swarm;
using DigestTools.Tests.Pinning;
using DigestTools.Tests.Support;
using DigestTools.TestServers;
using Xunit;

namespace DigestTools.Tests.Swarm
{
    /// <summary>
    /// PinnedServiceCreator: the pin labels it writes, an engine that is no Swarm manager (nothing created), and a Swarm
    /// (behind the FaultServer) that records another digest than the pin (PinNotRecorded, the service removed again).
    /// </summary>
    public sealed class PinnedServiceCreatorTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;
        private static readonly CancellationToken None = CancellationToken.None;
        private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

        [Fact]
        public void ThePinLabelsAreAddedToTheGivenOnesAndWin()
        {
            var pin = new ServiceImagePin("127.0.0.1:5000", "127.0.0.1:5000/app", "v1", Digest, "127.0.0.1:5000/app:stable");
            var given = new Dictionary<string, string> { ["team"] = "a", [PinLabels.Digest] = "sha256:old" };
            Assert.Equal(new Dictionary<string, string>
            {
                ["team"] = "a",
                [PinLabels.Digest] = Digest,
                [PinLabels.SourceReference] = "127.0.0.1:5000/app:stable",
                [PinLabels.PinnedReference] = "127.0.0.1:5000/app@" + Digest,
            }, PinnedServiceCreator.WithPinLabels(given, pin));
            Assert.Equal("sha256:old", given[PinLabels.Digest]);   // the caller's dictionary is not changed
        }

        [Fact]
        public void NoLabelsGivenAndNoSourceReferenceGiveTheThreePinLabelsFromTheImage()
        {
            var pin = new ServiceImagePin("127.0.0.1:5000", "127.0.0.1:5000/app", "v1", Digest, null);
            Assert.Equal(new Dictionary<string, string>
            {
                [PinLabels.Digest] = Digest,
                [PinLabels.SourceReference] = "127.0.0.1:5000/app:v1",
                [PinLabels.PinnedReference] = "127.0.0.1:5000/app@" + Digest,
            }, PinnedServiceCreator.WithPinLabels(null, pin));
        }

        [Fact]
        public async Task AnEngineThatIsNoSwarmManagerCreatesNothingAndSaysWhatToDo()
        {
            ServiceImagePin pin = await new ServiceImageResolver(new RegistryClientOptions()).ResolveAsync(ParsedReference.Parse(Env.OciReference), null, None);
            string name = "dt-nomgr-" + Guid.NewGuid().ToString("n").Substring(0, 8);
            using (EngineClient docker = await EngineClient.ConnectAsync(DockerCli.Endpoint(Env.DockerHost), None))
            {
                FailureException e = await Assert.ThrowsAsync<FailureException>(() =>
                    new PinnedServiceCreator(docker).CreateAsync(new SwarmServiceSpec { Name = name, Replicas = 0 }, pin, null, None));
                Assert.Equal(ErrorCatalog.NotSwarmManager, e.Kind);
                Assert.Equal($"The engine at {Env.DockerHost} is not part of a Swarm (state 'inactive'): run `docker swarm init` there, or point -EngineUri at a manager.", e.Message);
            }
        }

        [Fact]
        public async Task ASwarmThatRecordsAnotherDigestIsPinNotRecordedAndTheServiceIsRemoved()
        {
            ServiceImagePin pin = await new ServiceImageResolver(new RegistryClientOptions()).ResolveAsync(ParsedReference.Parse(Env.OciReference), null, None);
            string name = "dt-lying-" + Guid.NewGuid().ToString("n").Substring(0, 8);
            string other = "sha256:" + new string('e', 64);
            await using (EngineBehindProxy swarm = await EngineBehindProxy.StartAsync(Env.SwarmHost, TimeSpan.FromSeconds(30)))
            {
                try
                {
                    // The service's inspect (by the id the create returned) names another digest than the one written.
                    swarm.Proxy.Rules.Add(new FaultRule { Method = "GET", Path = "/services/[a-z0-9]{25}$", Action = "replace-text", Find = "@" + pin.Digest, Value = "@" + other });
                    FailureException e = await Assert.ThrowsAsync<FailureException>(() =>
                        new PinnedServiceCreator(swarm.Client).CreateAsync(new SwarmServiceSpec { Name = name, Replicas = 0 }, pin, null, None));
                    Assert.Equal(ErrorCatalog.PinNotRecorded, e.Kind);
                    Assert.Equal($"Swarm recorded the image of service {name} as '{pin.RepositoryName}:{pin.Tag}@{other}', not {pin.Image}; the service was removed.", e.Message);
                    Assert.Null(await swarm.Direct.InspectServiceAsync(name, None));
                }
                finally
                {
                    try { DockerCli.Run(Env.SwarmHost, "service", "rm", name); } catch (InvalidOperationException) { }
                }
            }
        }
    }
}
