using System;
using System.Linq;
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
                Assert.Contains(" It had been created anyway and was removed: ", e.Message);
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
                Assert.Matches(@" The engine had not created it within 3 s \(were it to do so later, the container carries the label io\.digesttools\.creation-id=[0-9a-f]{32}\)\.$", e.Message);
            }
        }
    }
}
