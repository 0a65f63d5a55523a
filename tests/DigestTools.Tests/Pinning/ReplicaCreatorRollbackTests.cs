using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.References;
using DigestTools.Tests.Support;
using DigestTools.TestServers;
using DigestTools.Tests.Drift;
using Xunit;

namespace DigestTools.Tests.Pinning
{
    /// <summary>
    /// ReplicaCreator's promise when a call fails or is stopped before every replica started: what this call created is
    /// removed, and the one error says which replica failed and, for each container, whether it was removed, was already
    /// gone, or could not be removed (and why). The real dockerd behind the fault proxy, which refuses or holds requests.
    /// </summary>
    public sealed class ReplicaCreatorRollbackTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;
        private static readonly CancellationToken None = CancellationToken.None;

        private static ReplicaRequest Request(string image, string name, int count) => new ReplicaRequest
        {
            Source = ParsedReference.Parse(image),
            Pinned = ParsedReference.Parse(image),
            Names = ReplicaNames.For(name, count),
            Template = new ContainerSpec { Network = "none", Command = new[] { "sleep", "60" }, Labels = { ["dt-test"] = "replica-rollback" } },
        };


        private static async Task RemoveLeftoversAsync(EngineClient direct, string name, int count)
        {
            foreach (string n in ReplicaNames.For(name, count)) await direct.RemoveContainerAsync(n, true, None);
        }

        private static async Task<string> IdOfAsync(EngineClient direct, string name) => (await direct.InspectContainerAsync(name, None)).Id;

        [Fact]
        public async Task AStopDuringCountThreeRemovesTheReplicasMadeSoFarAndNamesEachOne()
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost("Docker"), TimeSpan.FromSeconds(30)))
            {
                string image = await EngineFixture.PulledOciAsync(engines.Direct);
                string name = LiveTools.UniqueName("dt-stopped-replicas");
                // Replica 3's create is held by the proxy: the call is stopped while it waits for it.
                string third = $"/containers/create\\?name={name}-3$";
                engines.Proxy.Rules.Add(new FaultRule { Method = "POST", Path = third, Action = "delay", DelayMs = 600000 });
                try
                {
                    using (var stop = new CancellationTokenSource())
                    {
                        Task<List<Replica>> call = new ReplicaCreator(engines.Client).CreateAsync(Request(image, name, 3), stop.Token);
                        await ProxyLog.SeenAsync(engines.Proxy, "POST", third);
                        stop.Cancel();
                        StoppedException e = await Assert.ThrowsAsync<StoppedException>(() => call);
                        Assert.Matches($@"^The create of {name}-3 was stopped\. The engine had not created it within 3 s \(were it to do so later, the container carries the label io\.digesttools\.creation-id=[0-9a-f]+\)\. "
                            + $@"Rolled back \(removed\) 2 container\(s\) created by this call: {name}-1 [0-9a-f]{{12}}, {name}-2 [0-9a-f]{{12}}\.$", e.Report);
                    }
                    foreach (string n in ReplicaNames.For(name, 3)) Assert.Null(await engines.Direct.InspectContainerAsync(n, None));
                }
                finally
                {
                    await RemoveLeftoversAsync(engines.Direct, name, 3);
                }
            }
        }

        // With rollbackHeld the rollback's lookup of replica 1 is held too, past the rollback's own deadline: it is left behind.
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task AStopBetweenTwoCreatesReportsOnlyTheRollback(bool rollbackHeld)
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost("Docker"), TimeSpan.FromSeconds(30)))
            {
                string image = await EngineFixture.PulledOciAsync(engines.Direct);
                string name = LiveTools.UniqueName("dt-stopped-between");
                // Replica 1's check on the engine's record is held: the call is stopped with no create in flight.
                const string check = "/containers/[0-9a-f]{64}/json$";
                engines.Proxy.Rules.Add(new FaultRule { Method = "GET", Path = check, Action = "delay", DelayMs = 600000, Times = 1 });
                if (rollbackHeld)
                    engines.Proxy.Rules.Add(new FaultRule { Method = "GET", Path = "/containers/json\\?.*creation-id", Action = "delay", DelayMs = 600000 });
                try
                {
                    using (var stop = new CancellationTokenSource())
                    {
                        Task<List<Replica>> call = new ReplicaCreator(engines.Client).CreateAsync(Request(image, name, 2), stop.Token);
                        await ProxyLog.SeenAsync(engines.Proxy, "GET", check);
                        stop.Cancel();
                        StoppedException e = await Assert.ThrowsAsync<StoppedException>(() => call);
                        Assert.Matches(rollbackHeld
                            ? $@"^Could NOT remove, left behind: {name}-1 [0-9a-f]{{12}} \(the rollback's deadline of 10 s passed\)\.$"
                            : $@"^Rolled back \(removed\) 1 container\(s\) created by this call: {name}-1 [0-9a-f]{{12}}\.$", e.Report);
                    }
                    Assert.Equal(rollbackHeld, await engines.Direct.InspectContainerAsync(name + "-1", None) != null);
                    Assert.Null(await engines.Direct.InspectContainerAsync(name + "-2", None));
                }
                finally
                {
                    await RemoveLeftoversAsync(engines.Direct, name, 2);
                }
            }
        }

        [Fact]
        public async Task AFailedStartSaysWhichReplicasWereAlreadyGoneAndWhichCouldNotBeRemoved()
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost("Docker"), TimeSpan.FromSeconds(30)))
            {
                string image = await EngineFixture.PulledOciAsync(engines.Direct);
                string name = LiveTools.UniqueName("dt-rollback-report");
                ReplicaRequest request = Request(image, name, 4);
                request.Start = true;
                FaultRule start = FaultRule.EngineError("POST", "/containers/[0-9a-f]{64}/start$", 500, "dt: start refused");
                start.Times = 1;
                engines.Proxy.Rules.Add(start);
                // The rollback's first two lookups by creation id (replicas 1 and 2) find nothing: someone else removed them.
                engines.Proxy.Rules.Add(new FaultRule { Method = "GET", Path = "/containers/json\\?", Action = "status", Status = 200, Body = "[]", Times = 2 });
                engines.Proxy.Rules.Add(FaultRule.EngineError("DELETE", "/containers/[0-9a-f]{64}", 500, "dt: remove refused"));
                try
                {
                    FailureException e = await Assert.ThrowsAsync<FailureException>(() => new ReplicaCreator(engines.Client).CreateAsync(request, None));

                    Assert.Equal(ErrorCatalog.ContainerStartFailed, e.Kind);
                    string id1 = await IdOfAsync(engines.Direct, name + "-1"), id3 = await IdOfAsync(engines.Direct, name + "-3"), id4 = await IdOfAsync(engines.Direct, name + "-4");
                    Assert.Equal($"Replica 1 of 4 failed: The engine could not start container {id1}: dt: start refused "
                        + $"Already gone from the engine: {name}-1, {name}-2. "
                        + $"Could NOT remove, left behind: {name}-3 {id3.Substring(0, 12)} (The engine could not remove container {id3}: dt: remove refused), "
                        + $"{name}-4 {id4.Substring(0, 12)} (The engine could not remove container {id4}: dt: remove refused).", e.Message);
                }
                finally
                {
                    engines.Proxy.Rules.Clear();
                    await RemoveLeftoversAsync(engines.Direct, name, 4);
                }
            }
        }

        [Fact]
        public async Task AFirstReplicaThatCannotBeCreatedFailsTheCallWithNothingToRollBack()
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost("Docker"), TimeSpan.FromSeconds(30)))
            {
                string image = await EngineFixture.PulledOciAsync(engines.Direct);
                string name = LiveTools.UniqueName("dt-first-refused");
                engines.Proxy.Rules.Add(FaultRule.EngineError("POST", $"/containers/create\\?name={name}-1$", 500, "dt: create refused"));

                FailureException e = await Assert.ThrowsAsync<FailureException>(() => new ReplicaCreator(engines.Client).CreateAsync(Request(image, name, 2), None));

                Assert.Equal(ErrorCatalog.ContainerCreationFailed, e.Kind);
                Assert.Matches($@"^Replica 1 of 2 failed: .*dt: create refused.* Nothing else of this call had been created\.$", e.Message);
                Assert.Null(await engines.Direct.InspectContainerAsync(name + "-2", None));
            }
        }

        [Fact]
        public async Task AnEngineThatRecordsAnotherImageIsPinNotRecordedAndTheContainerIsRemoved()
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost("Docker"), TimeSpan.FromSeconds(30)))
            {
                string image = await EngineFixture.PulledOciAsync(engines.Direct);
                string name = LiveTools.UniqueName("dt-pin-not-recorded");
                ParsedReference pinned = ParsedReference.Parse(image);
                string other = pinned.Name + "@sha256:" + new string('0', 64);
                engines.Proxy.Rules.Add(new FaultRule { Method = "GET", Path = "/containers/[0-9a-f]{64}/json", Action = "replace-text", Find = image, Value = other });
                ReplicaRequest request = Request(image, name, 1);

                FailureException e = await Assert.ThrowsAsync<FailureException>(() => new ReplicaCreator(engines.Client).CreateAsync(request, None));

                Assert.Equal(ErrorCatalog.PinNotRecorded, e.Kind);
                Assert.Matches($@"^The container failed: The engine recorded the image of container {name} as '{Regex.Escape(other)}', not {Regex.Escape(image)}\. "
                    + $@"Rolled back \(removed\) 1 container\(s\) created by this call: {name} [0-9a-f]{{12}}\.$", e.Message);
                Assert.Null(await engines.Direct.InspectContainerAsync(name, None));
            }
        }
    }
}
