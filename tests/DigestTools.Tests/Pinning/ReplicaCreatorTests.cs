using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.References;
using DigestTools.Tests.Swarm;
using DigestTools.Tests.Drift;
using Xunit;

namespace DigestTools.Tests.Pinning
{
    /// <summary>
    /// ReplicaCreator against the real dockerd and Podman, each promise checked on the engine's own record: the three
    /// pin labels and the caller's, -Start alone, -Wait with -Logs and -Remove, -Remove alone (the engine's --rm).
    /// </summary>
    public sealed class ReplicaCreatorTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;

        private static Task<EngineClient> ConnectAsync(string engine) => Env.ConnectAsync(engine);

        private static ReplicaRequest Request(string source, string pinned, string[] names, params string[] command) => new ReplicaRequest
        {
            Source = ParsedReference.Parse(source),
            Pinned = ParsedReference.Parse(pinned),
            Names = names,
            Template = new ContainerSpec { Network = "none", Command = command, Labels = { ["dt-test"] = "replica-creator" } },
        };


        [Fact]
        public async Task AReplicaWithNoNameAskedForReportsTheNameTheEngineChose()
        {
            using (EngineClient client = await ConnectAsync("Docker"))
            {
                string pinned = await EngineFixture.PulledOciAsync(client);
                ReplicaRequest request = Request(Env.OciReference, pinned, ReplicaNames.For(null, 1), "true");
                Replica r = Assert.Single(await new ReplicaCreator(client).CreateAsync(request, CancellationToken.None));
                try
                {
                    string chosen = (await client.InspectContainerAsync(r.Id, CancellationToken.None)).Name;
                    Assert.False(string.IsNullOrEmpty(chosen));
                    Assert.Equal(chosen, r.Name);
                }
                finally
                {
                    await client.RemoveContainerAsync(r.Id, true, CancellationToken.None);
                }
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task StartAloneStartsEveryReplicaWithThePinLabelsAndReportsEachOne(string engine)
        {
            using (EngineClient client = await ConnectAsync(engine))
            {
                string pinned = await EngineFixture.PulledOciAsync(client);
                string name = LiveTools.UniqueName("dt-replica");
                ReplicaRequest request = Request(Env.OciReference, pinned, ReplicaNames.For(name, 2), "sleep", "60");
                request.Start = true;
                List<Replica> replicas = await new ReplicaCreator(client).CreateAsync(request, CancellationToken.None);
                try
                {
                    Assert.Equal(2, replicas.Count);
                    for (int i = 0; i < 2; i++)
                    {
                        Replica r = replicas[i];
                        Assert.Equal((name + "-" + (i + 1), i + 1, "running"), (r.Name, r.Number, r.State));
                        Assert.Equal((pinned, Env.OciDigest, Env.OciReference), (r.Image, r.Digest, r.SourceReference));
                        Assert.Equal(client.Endpoint.Address.OriginalString, r.Engine);
                        Assert.Null(r.ExitCode);
                        Assert.Null(r.Logs);
                        EngineContainer record = await client.InspectContainerAsync(r.Id, CancellationToken.None);
                        Assert.Equal(Env.OciReference, record.Labels[ReplicaCreator.LabelSourceReference]);
                        Assert.Equal(Env.OciDigest, record.Labels[ReplicaCreator.LabelDigest]);
                        Assert.Equal(pinned, record.Labels[ReplicaCreator.LabelPinnedReference]);
                        Assert.Equal("replica-creator", record.Labels["dt-test"]);
                        Assert.Equal(pinned, record.ConfiguredImage);
                        Assert.Equal("false", DockerCli.Run(Env.EngineHost(engine), "inspect", "--format", "{{.HostConfig.AutoRemove}}", r.Id));
                    }
                }
                finally
                {
                    foreach (Replica r in replicas) await client.RemoveContainerAsync(r.Id, true, CancellationToken.None);
                }
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task WaitWithLogsAndRemoveReportsTheExitCodeAndTheLogsAndLeavesNothing(string engine)
        {
            using (EngineClient client = await ConnectAsync(engine))
            {
                string pinned = await EngineFixture.PulledOciAsync(client);
                string name = LiveTools.UniqueName("dt-replica");
                ReplicaRequest request = Request(Env.OciReference, pinned, new[] { name }, "sh", "-c", "echo out; exit 3");
                request.Wait = true;
                request.Logs = true;
                request.Remove = true;
                Replica r = Assert.Single(await new ReplicaCreator(client).CreateAsync(request, CancellationToken.None));
                Assert.Equal((name, "removed", 3L, "out\n"), (r.Name, r.State, r.ExitCode, r.Logs));
                Assert.Null(await client.InspectContainerAsync(name, CancellationToken.None));
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task WaitAloneKeepsTheExitedContainerWithItsExitCode(string engine)
        {
            using (EngineClient client = await ConnectAsync(engine))
            {
                string pinned = await EngineFixture.PulledOciAsync(client);
                ReplicaRequest request = Request(Env.OciReference, pinned, new[] { LiveTools.UniqueName("dt-replica") }, "sh", "-c", "exit 4");
                request.Wait = true;
                Replica r = Assert.Single(await new ReplicaCreator(client).CreateAsync(request, CancellationToken.None));
                try
                {
                    Assert.Equal(("exited", 4L), (r.State, r.ExitCode));
                    Assert.Null(r.Logs);
                    Assert.Equal("exited", (await client.InspectContainerAsync(r.Id, CancellationToken.None)).State);
                }
                finally
                {
                    await client.RemoveContainerAsync(r.Id, true, CancellationToken.None);
                }
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task RemoveWithoutWaitCreatesWithTheEnginesAutoRemoveAndStartsNothing(string engine)
        {
            using (EngineClient client = await ConnectAsync(engine))
            {
                string pinned = await EngineFixture.PulledOciAsync(client);
                ReplicaRequest request = Request(Env.OciReference, pinned, new[] { LiveTools.UniqueName("dt-replica") });
                request.Remove = true;
                Replica r = Assert.Single(await new ReplicaCreator(client).CreateAsync(request, CancellationToken.None));
                try
                {
                    Assert.Equal("created", r.State);
                    Assert.Equal("true", DockerCli.Run(Env.EngineHost(engine), "inspect", "--format", "{{.HostConfig.AutoRemove}}", r.Id));
                }
                finally
                {
                    await client.RemoveContainerAsync(r.Id, true, CancellationToken.None);
                }
            }
        }
    }
}
