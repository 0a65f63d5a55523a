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
    /// What ReplicaCreator reports for containers that changed after their start: the state and exit code the engine
    /// holds when the call reports them, a container removed by someone else (ContainerNotFound, never "kept"), and for
    /// a failure after the start, which containers are kept, gone, or unknown. The real dockerd behind the fault proxy,
    /// which holds the report's inspect long enough for the change to happen.
    /// </summary>
    public sealed class ReplicaCreatorReportTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;
        private static readonly CancellationToken None = CancellationToken.None;

        private static ReplicaRequest Request(string image, string name, int count, params string[] command) => new ReplicaRequest
        {
            Source = ParsedReference.Parse(image),
            Pinned = ParsedReference.Parse(image),
            Names = count == 1 ? new[] { name } : ReplicaNames.For(name, count),
            Template = new ContainerSpec { Network = "none", Command = command, Labels = { ["dt-test"] = "replica-report" } },
            Start = true,
        };


        private static string Short(string id) => id.Substring(0, 12);

        // The start is held a moment so that the report's inspect of the same container can be held too, by the id the
        // start request names: the container runs (and may exit, or be removed) before the call looks at it again.
        private static async Task<string> HoldTheReportAsync(FaultServer proxy, int reportDelayMs)
        {
            proxy.Rules.Add(new FaultRule { Method = "POST", Path = "/containers/[0-9a-f]{64}/start$", Action = "delay", DelayMs = 1000, Times = 1 });
            RequestLogEntry start = await ProxyLog.SeenAsync(proxy, "POST", "/containers/[0-9a-f]{64}/start$");
            string id = Regex.Match(start.Path, "/containers/([0-9a-f]{64})/start").Groups[1].Value;
            proxy.Rules.Add(new FaultRule { Method = "GET", Path = $"/containers/{id}/json", Action = "delay", DelayMs = reportDelayMs, Times = 1 });
            return id;
        }

        [Fact]
        public async Task AReplicaThatExitedBeforeTheReportHasItsStateAndExitCode()
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost("Docker"), TimeSpan.FromSeconds(30)))
            {
                string image = await EngineFixture.PulledOciAsync(engines.Direct);
                string name = LiveTools.UniqueName("dt-exited-early");
                Task<List<Replica>> call = new ReplicaCreator(engines.Client).CreateAsync(Request(image, name, 1, "sh", "-c", "exit 5"), None);
                await HoldTheReportAsync(engines.Proxy, 3000);
                try
                {
                    Replica r = Assert.Single(await call);
                    Assert.Equal(("exited", 5L), (r.State, r.ExitCode));
                }
                finally
                {
                    await engines.Direct.RemoveContainerAsync(name, true, None);
                }
            }
        }

        [Fact]
        public async Task ARemoveReplicaTheEngineRemovedBeforeTheReportIsReportedRemoved()
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost("Docker"), TimeSpan.FromSeconds(30)))
            {
                string image = await EngineFixture.PulledOciAsync(engines.Direct);
                string name = LiveTools.UniqueName("dt-auto-removed");
                ReplicaRequest request = Request(image, name, 1, "true");
                request.Remove = true;   // without -Wait: the engine's own --rm
                Task<List<Replica>> call = new ReplicaCreator(engines.Client).CreateAsync(request, None);
                await HoldTheReportAsync(engines.Proxy, 3000);

                Replica r = Assert.Single(await call);
                Assert.Equal((name, "removed", (long?)null), (r.Name, r.State, r.ExitCode));
                Assert.Null(await engines.Direct.InspectContainerAsync(name, None));
            }
        }

        // Removed by someone else while the report's inspect is held, or (beingRemoved) still there but, from the report on,
        // said by the engine to be in "removing" (as during someone's docker rm -f): gone either way, never kept.
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task AReplicaRemovedBySomeoneElseBeforeTheReportIsContainerNotFoundNeverKept(bool beingRemoved)
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost("Docker"), TimeSpan.FromSeconds(30)))
            {
                string image = await EngineFixture.PulledOciAsync(engines.Direct);
                string name = LiveTools.UniqueName(beingRemoved ? "dt-removing-at-report" : "dt-removed-before-report");
                Task<List<Replica>> call = new ReplicaCreator(engines.Client).CreateAsync(Request(image, name, 1, "sleep", "60"), None);
                string id = await HoldTheReportAsync(engines.Proxy, beingRemoved ? 0 : 3000);
                if (beingRemoved)
                {
                    engines.Proxy.Rules.Add(new FaultRule { Method = "GET", Path = $"/containers/{id}/json", Action = "replace-text", Find = "\"Status\":\"running\"", Value = "\"Status\":\"removing\"" });
                }
                else
                {
                    await ProxyLog.SeenAsync(engines.Proxy, "GET", $"/containers/{id}/json", nth: 2);   // the report's inspect, held
                    await engines.Direct.RemoveContainerAsync(id, true, None);
                }
                try
                {
                    FailureException e = await Assert.ThrowsAsync<FailureException>(() => call);

                    Assert.Equal(ErrorCatalog.ContainerNotFound, e.Kind);
                    Assert.Equal($"Container {name} {Short(id)} was removed by someone else before the call could report it. "
                        + $"No longer in the engine (removed by someone else): {name} {Short(id)}.", e.Message);
                }
                finally
                {
                    await engines.Direct.RemoveContainerAsync(id, true, None);
                }
            }
        }

        [Fact]
        public async Task LogsTheEngineRefusesFailTheCallAndNameEveryReplicaKept()
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost("Docker"), TimeSpan.FromSeconds(30)))
            {
                string image = await EngineFixture.PulledOciAsync(engines.Direct);
                string name = LiveTools.UniqueName("dt-logs-refused");
                ReplicaRequest request = Request(image, name, 2, "true");
                request.Logs = true;
                engines.Proxy.Rules.Add(FaultRule.EngineError("GET", "/containers/[0-9a-f]{64}/logs", 500, "dt: logs refused"));
                try
                {
                    FailureException e = await Assert.ThrowsAsync<FailureException>(() => new ReplicaCreator(engines.Client).CreateAsync(request, None));

                    Assert.Equal(ErrorCatalog.ContainerLogsFailed, e.Kind);
                    string id1 = (await engines.Direct.InspectContainerAsync(name + "-1", None)).Id, id2 = (await engines.Direct.InspectContainerAsync(name + "-2", None)).Id;
                    Assert.EndsWith($": dt: logs refused The containers of this call were created and started and are kept: {name}-1 {Short(id1)}, {name}-2 {Short(id2)}.", e.Message);
                }
                finally
                {
                    foreach (string n in ReplicaNames.For(name, 2)) await engines.Direct.RemoveContainerAsync(n, true, None);
                }
            }
        }

        [Fact]
        public async Task AFailureAfterTheStartNamesTheReplicasKeptGoneAndUnknown()
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost("Docker"), TimeSpan.FromSeconds(30)))
            {
                string image = await EngineFixture.PulledOciAsync(engines.Direct);
                string name = LiveTools.UniqueName("dt-kept-gone-unknown");
                ReplicaRequest request = Request(image, name, 5, "sleep", "60");
                request.Wait = true;
                try
                {
                    Task<List<Replica>> call = new ReplicaCreator(engines.Client).CreateAsync(request, None);
                    // Every replica runs and the call waits for the first: someone removes the second and then that one,
                    // and the engine will not say anything about the fourth and the fifth.
                    RequestLogEntry wait = await ProxyLog.SeenAsync(engines.Proxy, "POST", "/containers/[0-9a-f]{64}/wait");
                    string id1 = Regex.Match(wait.Path, "/containers/([0-9a-f]{64})/wait").Groups[1].Value;
                    var ids = new List<string> { id1 };
                    for (int i = 2; i <= 5; i++) ids.Add((await engines.Direct.InspectContainerAsync(name + "-" + i, None)).Id);
                    engines.Proxy.Rules.Add(FaultRule.EngineError("GET", $"/containers/({ids[3]}|{ids[4]})/json", 500, "dt: inspect refused"));
                    await engines.Direct.RemoveContainerAsync(ids[1], true, None);
                    await engines.Direct.RemoveContainerAsync(id1, true, None);

                    FailureException e = await Assert.ThrowsAsync<FailureException>(() => call);

                    Assert.Equal(ErrorCatalog.ContainerNotFound, e.Kind);
                    Assert.Equal($"Container {Short(id1)} was removed by someone else while the call waited for it to exit; it has no result to report. "
                        + $"The containers of this call were created and started and are kept: {name}-3 {Short(ids[2])}. "
                        + $"No longer in the engine (removed by someone else): {name}-1 {Short(id1)}, {name}-2 {Short(ids[1])}. "
                        + $"The engine did not say whether these still exist: {name}-4 {Short(ids[3])}, {name}-5 {Short(ids[4])}.", e.Message);
                    Assert.Equal("running", (await engines.Direct.InspectContainerAsync(ids[2], None)).State);
                }
                finally
                {
                    foreach (string n in ReplicaNames.For(name, 5)) await engines.Direct.RemoveContainerAsync(n, true, None);
                }
            }
        }
    }
}
