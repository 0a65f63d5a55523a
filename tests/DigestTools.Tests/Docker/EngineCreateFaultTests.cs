using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Tests.Pinning;
using DigestTools.Tests.Support;
using DigestTools.TestServers;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// A create whose reply the client never sees, against the real engines behind the fault proxy: the engine
    /// carries it out only after the client gave up (the proxy holds the request), and the clean-up must still
    /// find that container by its creation id and remove it.
    /// </summary>
    public sealed class EngineCreateFaultTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;

        // Above what Podman's /version takes on a loaded 2-core machine; the create is held a little longer.
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task ACreateThatLandsAfterTheClientGaveUpIsFoundByItsCreationIdAndRemoved(string engine)
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost(engine), Timeout))
            {
                string image = await EngineFixture.PulledOciAsync(engines.Direct);
                string name = "dt-late-create-" + Guid.NewGuid().ToString("n").Substring(0, 12);
                engines.Proxy.Rules.Add(new FaultRule
                {
                    Method = "POST", Path = "/containers/create", Action = "delay", Times = 1,
                    DelayMs = (int)(Timeout + TimeSpan.FromMilliseconds(500)).TotalMilliseconds,
                });

                FailureException e = await Assert.ThrowsAsync<FailureException>(() =>
                    engines.Client.CreateContainerAsync(new ContainerSpec { Image = image, Name = name, Network = "none" }, CancellationToken.None));

                Assert.Equal(ErrorCatalog.EngineTimeout, e.Kind);
                Assert.Matches(@" It had been created anyway and was removed: [0-9a-f]{12}\.$", e.Message);
                Assert.Null(await engines.Direct.InspectContainerAsync(name, CancellationToken.None));
                Assert.Single(engines.Proxy.Requests, r => r.Method == "POST" && r.Path.Contains("/containers/create"));
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task ACreateTheEngineNeverCarriesOutIsReportedWithItsCreationIdAfterTheWatch(string engine)
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost(engine), Timeout))
            {
                string image = await EngineFixture.PulledOciAsync(engines.Direct);
                // Held far beyond the watch; the proxy's disposal drops it unsent.
                engines.Proxy.Rules.Add(new FaultRule { Method = "POST", Path = "/containers/create", Action = "delay", DelayMs = 600000 });

                FailureException e = await Assert.ThrowsAsync<FailureException>(() =>
                    engines.Client.CreateContainerAsync(new ContainerSpec { Image = image, Network = "none" }, CancellationToken.None));

                Assert.Equal(ErrorCatalog.EngineTimeout, e.Kind);
                AssertReport($@"^The engine at tcp://{Regex.Escape(engines.Proxy.Address)} did not answer within 5 s when asked to create a container from {Regex.Escape(image)} \(-TimeoutSec\)\. "
                    + @"The engine had not created it within 3 s \(were it to do so later, the container carries the label io\.digesttools\.creation-id=[0-9a-f]{32}\)\.$", e.Message);
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task ACreateWhoseReplyIsNotTheEnginesJsonIsNotAContainerEngineAndWhatItMadeIsRemoved(string engine)
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost(engine), Timeout))
            {
                string image = await EngineFixture.PulledOciAsync(engines.Direct);
                string name = "dt-html-create-" + Guid.NewGuid().ToString("n").Substring(0, 12);
                engines.Proxy.Rules.Add(new FaultRule { Method = "POST", Path = "/containers/create", Action = "alter-body", Alter = "html", Times = 1 });

                FailureException e = await Assert.ThrowsAsync<FailureException>(() =>
                    engines.Client.CreateContainerAsync(new ContainerSpec { Image = image, Name = name, Network = "none" }, CancellationToken.None));

                Assert.Equal(ErrorCatalog.NotAContainerEngine, e.Kind);
                Assert.Matches(@" It had been created anyway and was removed: [0-9a-f]{12}\.$", e.Message);
                Assert.Null(await engines.Direct.InspectContainerAsync(name, CancellationToken.None));
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task ACreateStoppedWhileTheEngineWorksOnItIsAStopThatRemovesWhatItMade(string engine)
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost(engine), Timeout))
            {
                string image = await EngineFixture.PulledOciAsync(engines.Direct);
                string name = "dt-stopped-create-" + Guid.NewGuid().ToString("n").Substring(0, 12);
                engines.Proxy.Rules.Add(new FaultRule { Method = "POST", Path = "/containers/create", Action = "delay", Times = 1, DelayMs = 700 });

                StoppedException e = await StopOnceTheEngineSideHasTheCreateAsync(engines, name, image);
                AssertReport($@"^The create of {name} was stopped\. It had been created anyway and was removed: [0-9a-f]{{12}}\.$", e.Report);
                Assert.Null(await engines.Direct.InspectContainerAsync(name, CancellationToken.None));
            }
        }

        [Fact]
        public async Task ACleanUpTheEngineRefusesToListForSaysWhetherItWasCreatedIsUnknownAndNamesTheLabel()
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost("Docker"), Timeout))
            {
                string image = await EngineFixture.PulledOciAsync(engines.Direct);
                string name = "dt-unlisted-create-" + Guid.NewGuid().ToString("n").Substring(0, 12);
                engines.Proxy.Rules.Add(new FaultRule { Method = "POST", Path = "/containers/create", Action = "alter-body", Alter = "html", Times = 1 });
                engines.Proxy.Rules.Add(FaultRule.EngineError("GET", "/containers/json", 500, "disk on fire"));
                try
                {
                    FailureException e = await Assert.ThrowsAsync<FailureException>(() =>
                        engines.Client.CreateContainerAsync(new ContainerSpec { Image = image, Name = name, Network = "none" }, CancellationToken.None));

                    Assert.Equal(ErrorCatalog.NotAContainerEngine, e.Kind);
                    AssertReport(@" Whether the engine created it is unknown \(label io\.digesttools\.creation-id=[0-9a-f]{32}\): The engine could not list containers: disk on fire$", e.Message);
                    Assert.NotNull(await engines.Direct.InspectContainerAsync(name, CancellationToken.None));
                }
                finally
                {
                    await engines.Direct.RemoveContainerAsync(name, true, CancellationToken.None);
                }
            }
        }

        [Fact]
        public async Task AContainerThatOutlivesItsFirstRemovalIsLookedForAgainAndRemoved()
        {
            // dockerd can list a container whose create is still registering it and answer its removal "no such
            // container" (taken as gone); the create then completes. The proxy plays that answer once.
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost("Docker"), Timeout))
            {
                string image = await EngineFixture.PulledOciAsync(engines.Direct);
                string name = "dt-racing-create-" + Guid.NewGuid().ToString("n").Substring(0, 12);
                engines.Proxy.Rules.Add(new FaultRule { Method = "POST", Path = "/containers/create", Action = "delay", Times = 1, DelayMs = 700 });
                FaultRule notYetRemovable = FaultRule.EngineError("DELETE", "/containers/", 404, "No such container: " + name);
                notYetRemovable.Times = 1;
                engines.Proxy.Rules.Add(notYetRemovable);

                StoppedException e = await StopOnceTheEngineSideHasTheCreateAsync(engines, name, image);
                AssertReport($@"^The create of {name} was stopped\. It had been created anyway and was removed: [0-9a-f]{{12}}\.$", e.Report);
                Assert.Equal(1, notYetRemovable.Hits);
                Assert.Equal(2, engines.Proxy.Requests.Count(r => r.Method == "DELETE"));
                Assert.Null(await engines.Direct.InspectContainerAsync(name, CancellationToken.None));
            }
        }

        [Fact]
        public async Task AContainerThatKeepsOutlivingItsRemovalIsReportedAsStillListedWithItsLabel()
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost("Docker"), Timeout))
            {
                string image = await EngineFixture.PulledOciAsync(engines.Direct);
                engines.Proxy.Rules.Add(new FaultRule { Method = "POST", Path = "/containers/create", Action = "delay", Times = 1, DelayMs = 700 });
                engines.Proxy.Rules.Add(FaultRule.EngineError("DELETE", "/containers/", 404, "No such container"));

                StoppedException e = await StopOnceTheEngineSideHasTheCreateAsync(engines, null, image);
                Match report = Regex.Match(e.Report, @"^The create of a container was stopped\. It had been created anyway; its removal was asked but the engine still lists ([0-9a-f]{12}) \(label io\.digesttools\.creation-id=([0-9a-f]{32})\)\.$");
                Assert.True(report.Success, e.Report);
                IReadOnlyList<string> left = await engines.Direct.RemoveCreatedAsync(report.Groups[2].Value, CancellationToken.None);
                Assert.StartsWith(report.Groups[1].Value, Assert.Single(left));
            }
        }

        // The stop comes once the proxy holds the create, so the engine lands it early in the watch that follows.
        private static async Task<StoppedException> StopOnceTheEngineSideHasTheCreateAsync(EngineBehindProxy engines, string name, string image)
        {
            using (var stop = new CancellationTokenSource())
            {
                Task creating = engines.Client.CreateContainerAsync(new ContainerSpec { Image = image, Name = name, Network = "none" }, stop.Token);
                while (!engines.Proxy.Requests.Any(r => r.Method == "POST" && r.Path.Contains("/containers/create"))) await Task.Delay(20);
                stop.Cancel();
                return await Assert.ThrowsAsync<StoppedException>(() => creating);
            }
        }

        // Assert.Matches cuts the value short; a failure should show the whole report.
        private static void AssertReport(string pattern, string report) => Assert.True(Regex.IsMatch(report, pattern), report);

        [Fact]
        public async Task ANameConflictSaidOnlyInWordsIsStillContainerNameInUse()
        {
            // Podman has answered a taken name with 500 and the words; Docker with 409.
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost("Docker"), Timeout))
            {
                engines.Proxy.Rules.Add(FaultRule.EngineError("POST", "/containers/create", 500, "creating container storage: the container name \"web\" is already in use"));
                FailureException e = await Assert.ThrowsAsync<FailureException>(() =>
                    engines.Client.CreateContainerAsync(new ContainerSpec { Image = "r/app@sha256:" + new string('a', 64), Name = "web" }, CancellationToken.None));
                Assert.Equal(ErrorCatalog.ContainerNameInUse, e.Kind);
                Assert.Equal("A container named 'web' already exists: creating container storage: the container name \"web\" is already in use", e.Message);
            }
        }

        [Fact]
        public async Task AnEngineErrorOnAListOrInspectNamesTheRequestThatFailed()
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost("Docker"), Timeout))
            {
                engines.Proxy.Rules.Add(FaultRule.EngineError("GET", "/containers/", 500, "disk on fire"));
                FailureException list = await Assert.ThrowsAsync<FailureException>(() => engines.Client.ListContainersAsync(true, CancellationToken.None));
                Assert.Equal(ErrorCatalog.ContainerListFailed, list.Kind);
                Assert.Equal("The engine could not list containers: disk on fire", list.Message);
                FailureException removeCreated = await Assert.ThrowsAsync<FailureException>(() => engines.Client.RemoveCreatedAsync("c0ffee", CancellationToken.None));
                Assert.Equal("The engine could not list containers: disk on fire", removeCreated.Message);
                FailureException inspect = await Assert.ThrowsAsync<FailureException>(() => engines.Client.InspectContainerConfigurationAsync("web", CancellationToken.None));
                Assert.Equal(ErrorCatalog.ContainerInspectFailed, inspect.Kind);
                Assert.Equal("The engine could not inspect container web: disk on fire", inspect.Message);
            }
        }
    }
}
