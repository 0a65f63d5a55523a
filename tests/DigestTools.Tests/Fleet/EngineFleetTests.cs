using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Fleet;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using DigestTools.Tests.Pinning;
using Xunit;

namespace DigestTools.Tests.Fleet
{
    /// <summary>
    /// Several engines as one, against the suite's real dockerd and Podman plus an address where nothing listens:
    /// the dead engine is its own failure, the tag is resolved once at the registry, and each live engine pulls and
    /// creates the same digest, labelled in the log with the engine's address.
    /// </summary>
    public sealed class EngineFleetTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;

        private static readonly string Nowhere = "unix://" + Path.Combine(Path.GetTempPath(), "dt-no-engine-" + Guid.NewGuid().ToString("n") + ".sock");

        private static Task<EngineFleet> ConnectAsync()
        {
            var resolver = new EngineEndpointResolver();
            var addresses = new[] { Env.DockerHost, Nowhere, Env.PodmanHost };
            return EngineFleet.ConnectAsync(addresses.Select(a => (a, resolver.Resolve(a))).ToList(), TimeSpan.FromSeconds(30), CancellationToken.None);
        }

        // A repository of this test's own, holding a copy of the Oci fixture under "v1".
        private static async Task<ParsedReference> ScratchCopyAsync()
        {
            var scratch = ParsedReference.Parse($"{Env.Registry}/fleet-{Guid.NewGuid():n}/busybox:v1");
            await RegistryCopy.CopyAsync(ParsedReference.Parse(Env.OciReference), scratch);
            return scratch;
        }

        [Fact]
        public async Task AnEngineThatCannotBeReachedIsItsOwnFailureAndTheOthersWork()
        {
            using (EngineFleet fleet = await ConnectAsync())
            {
                Assert.Equal(new[] { Env.DockerHost, Nowhere, Env.PodmanHost }, fleet.Engines.Select(e => e.Address).ToArray());
                Assert.Equal(new[] { true, false, true }, fleet.Engines.Select(e => e.IsConnected).ToArray());
                FleetEngine dead = fleet.Engines[1];
                Assert.Null(dead.Client);
                Assert.Equal(ErrorCatalog.EngineUnreachable, dead.Failure.Kind);
                Assert.Equal(new[] { Env.DockerHost, Env.PodmanHost }, fleet.Connected.Select(e => e.Address).ToArray());

                IReadOnlyList<FleetOutcome<string>> outcomes = await fleet.OnEachAsync(engine => engine.Address == Env.PodmanHost
                    ? Task.FromException<string>(new FailureException(ErrorCatalog.ContainerNotFound, "on Podman only"))
                    : Task.FromResult(engine.Client.Product));
                Assert.Equal(new[] { Env.DockerHost, Env.PodmanHost }, outcomes.Select(o => o.Engine.Address).ToArray());
                Assert.StartsWith("Docker Engine ", outcomes[0].Result);
                Assert.Null(outcomes[0].Failure);
                Assert.Null(outcomes[1].Result);
                Assert.Equal("on Podman only", outcomes[1].Failure.Message);
            }
        }

        [Fact]
        public async Task DisposingTheFleetClosesEveryConnectedEngine()
        {
            EngineFleet fleet = await ConnectAsync();
            FleetEngine[] connected = fleet.Connected.ToArray();
            Assert.Equal(2, connected.Length);

            fleet.Dispose();

            foreach (FleetEngine engine in connected)
                await Assert.ThrowsAnyAsync<ObjectDisposedException>(() => engine.Client.ListContainersAsync(false, CancellationToken.None));
        }

        [Fact]
        public async Task ATagIsResolvedOnceAndEveryEnginePullsAndCreatesThatDigest()
        {
            ParsedReference tagged = await ScratchCopyAsync();
            var log = new RecordingLog();
            using (EngineFleet fleet = await ConnectAsync())
            {
                var puller = new FleetPuller(fleet, new RegistryClientOptions(), log);
                ParsedReference pinned = await puller.PinAsync(tagged, CancellationToken.None);
                Assert.Equal(tagged.Name + ":v1@" + Env.OciDigest, pinned.ToString());
                Assert.Same(pinned, await puller.PinAsync(pinned, CancellationToken.None));   // a digest needs no registry
                Assert.Contains($"{tagged.Name}:v1 names {Env.OciDigest}: every engine pulls that digest.", log.VerboseLines);

                IReadOnlyList<FleetOutcome<PullResult>> pulls = await puller.PullAsync(pinned, null, null, CancellationToken.None);
                Assert.Equal(new[] { Env.DockerHost, Env.PodmanHost }, pulls.Select(p => p.Engine.Address).ToArray());
                Assert.All(pulls, p => Assert.Null(p.Failure));
                Assert.All(pulls, p => Assert.Equal(Env.OciDigest, p.Result.Digest));
                Assert.Equal(new[] { $"{pinned} on {Env.DockerHost}", $"{pinned} on {Env.PodmanHost}" }, log.PullsBegun.OrderBy(p => p, StringComparer.Ordinal).ToArray());

                string name = "dt-fleet-" + Guid.NewGuid().ToString("n").Substring(0, 12);
                var request = new ReplicaRequest
                {
                    Source = tagged, Names = ReplicaNames.For(name, 2), Start = true,
                    Template = new ContainerSpec { Network = "none", Command = new[] { "sleep", "60" }, Labels = { ["dt-test"] = "fleet" } },
                };
                IReadOnlyList<FleetOutcome<List<Replica>>> created = await new FleetReplicaCreator(fleet, log)
                    .CreateAsync(pinned, ImagePullPolicy.Missing, null, null, request, CancellationToken.None);
                try
                {
                    Assert.Equal(new[] { Env.DockerHost, Env.PodmanHost }, created.Select(c => c.Engine.Address).ToArray());
                    foreach (FleetOutcome<List<Replica>> outcome in created)
                    {
                        Assert.Null(outcome.Failure);
                        Assert.Equal(new[] { name + "-1", name + "-2" }, outcome.Result.Select(r => r.Name).ToArray());
                        Assert.All(outcome.Result, r => Assert.Equal(("running", Env.OciDigest, tagged.ToString()), (r.State, r.Digest, r.SourceReference)));
                        Assert.All(outcome.Result, r => Assert.Equal(outcome.Engine.Client.Endpoint.Address.OriginalString, r.Engine));
                    }
                    Assert.Contains(log.VerboseLines, l => l.StartsWith($"[{Env.PodmanHost}] ", StringComparison.Ordinal));
                }
                finally
                {
                    foreach (FleetOutcome<List<Replica>> outcome in created.Where(c => c.Result != null))
                        foreach (Replica r in outcome.Result) await outcome.Engine.Client.RemoveContainerAsync(r.Id, true, CancellationToken.None);
                }
            }
        }
    }
}
