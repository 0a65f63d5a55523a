using System;
using System.IO;
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
    /// EngineClient's requests when the engine fails them, lies about a container's state or never answers, against
    /// the suite's real dockerd behind the fault proxy: each failure names the request and has its own ErrorId.
    /// </summary>
    public sealed class EngineRequestFaultTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;

        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

        private static async Task<FailureException> FailsWith(ErrorKind kind, string message, Func<Task> call)
        {
            FailureException e = await Assert.ThrowsAsync<FailureException>(call);
            Assert.Equal((kind.Id, message), (e.Kind.Id, e.Message));
            return e;
        }

        [Fact]
        public async Task EveryRequestTheEngineFailsNamesItselfWithItsOwnErrorId()
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.DockerHost, Timeout))
            {
                engines.Proxy.Rules.Add(FaultRule.EngineError(null, ".", 500, "disk on fire"));
                EngineClient client = engines.Client;
                CancellationToken none = CancellationToken.None;
                await FailsWith(ErrorCatalog.ImageInspectFailed, "The engine could not inspect image r/app:v1: disk on fire", () => client.InspectImageAsync("r/app:v1", none));
                await FailsWith(ErrorCatalog.ImageListFailed, "The engine could not list images: disk on fire", () => client.ListImagesAsync(none));
                await FailsWith(ErrorCatalog.NetworkListFailed, "The engine could not list networks: disk on fire", () => client.ListNetworkNamesAsync(none));
                await FailsWith(ErrorCatalog.ContainerStartFailed, "The engine could not start container web: disk on fire", () => client.StartContainerAsync("web", none));
                await FailsWith(ErrorCatalog.ContainerWaitFailed, "The engine could not wait for container web: disk on fire", () => client.WaitContainerAsync("web", none));
                await FailsWith(ErrorCatalog.ContainerLogsFailed, "The engine could not read the logs of container web: disk on fire", () => client.GetLogsAsync("web", none));
                await FailsWith(ErrorCatalog.ContainerInspectFailed, "The engine could not inspect container web: disk on fire", () => client.InspectContainerAsync("web", none));
                await FailsWith(ErrorCatalog.ContainerRemoveFailed, "The engine could not remove container web: disk on fire", () => client.RemoveContainerAsync("web", true, none));
                await FailsWith(ErrorCatalog.PullFailed, "The engine failed to pull r/app:v1: disk on fire",
                    () => client.PullAsync(new ImagePullRequest { Repository = "r/app", TagOrDigest = "v1" }, null, none));
            }
        }

        [Fact]
        public async Task ANotFoundAnswerToAListIsThatListFailingNotAMissingContainer()
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.DockerHost, Timeout))
            {
                engines.Proxy.Rules.Add(FaultRule.EngineError(null, "/networks", 404, "page not found"));
                await FailsWith(ErrorCatalog.NetworkListFailed, "The engine could not list networks: page not found",
                    () => engines.Client.ListNetworkNamesAsync(CancellationToken.None));
            }
        }

        [Fact]
        public async Task AnErrorInsideAPullStreamThatAnswered200FailsThePull()
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.DockerHost, Timeout))
            {
                engines.Proxy.Rules.Add(new FaultRule
                {
                    Method = "POST", Path = "/images/create", Action = "status", Status = 200,
                    Body = "{\"status\":\"Pulling from r/app\"}\r\n{\"errorDetail\":{\"message\":\"unexpected EOF\"},\"error\":\"unexpected EOF\"}\r\n",
                });
                await FailsWith(ErrorCatalog.PullFailed, "The engine failed to pull r/app:v1: unexpected EOF",
                    () => engines.Client.PullAsync(new ImagePullRequest { Repository = "r/app", TagOrDigest = "v1" }, null, CancellationToken.None));
            }
        }

        [Fact]
        public async Task APullTheEngineNeverStartsAnsweringEndsAtTheTimeoutNamingThePull()
        {
            // A stream is bounded by progress: no first byte within the timeout is no progress at all.
            TimeSpan timeout = TimeSpan.FromSeconds(2);
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.DockerHost, timeout))
            {
                engines.Proxy.Rules.Add(new FaultRule { Method = "POST", Path = "/images/create", Action = "delay", DelayMs = 20000 });
                await FailsWith(ErrorCatalog.EngineTimeout, $"The engine at tcp://{engines.Proxy.Address} did not answer within 2 s when asked to pull r/app@sha256:{new string('a', 64)} (-TimeoutSec).",
                    () => engines.Client.PullAsync(new ImagePullRequest { Repository = "r/app", TagOrDigest = "sha256:" + new string('a', 64) }, null, CancellationToken.None));
            }
        }

        [Fact]
        public async Task LogsThatKeepComingPastTheTimeoutAreReadToTheEnd()
        {
            // Bounded by progress, not by total time: each frame restarts the timeout, so a slow but steady reply of
            // 4 s is read whole under a 2 s timeout. A frame: stream 1 (stdout), three zero bytes, the length (big-endian).
            TimeSpan timeout = TimeSpan.FromSeconds(2);
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.DockerHost, timeout))
            {
                engines.Proxy.Rules.Add(new FaultRule
                {
                    Method = "GET", Path = "/logs", Action = "trickle-body", Header = "Content-Type", Value = "application/vnd.docker.multiplexed-stream",
                    Body = "\u0001\0\0\0\0\0\0\u0005line\n", Repeat = 8, DelayMs = 500,
                });
                // Docker.DotNet inspects the container (for its TTY setting) before it asks for the logs.
                string id = await StoppedContainerAsync(engines.Direct);
                try
                {
                    string logs = await engines.Client.GetLogsAsync(id, CancellationToken.None);
                    Assert.Equal(string.Concat(Enumerable.Repeat("line\n", 8)), logs);
                }
                finally
                {
                    await engines.Direct.RemoveContainerAsync(id, true, CancellationToken.None);
                }
            }
        }

        // Docker's state of a container that exited; "dead" (a removal that failed) and Podman's "stopped" are stopped too.
        [Theory]
        [InlineData("exited")]
        [InlineData("dead")]
        [InlineData("stopped")]
        public async Task AWaitTheEngineNeverAnswersForAStoppedContainerEndsAtTheTimeout(string state)
        {
            TimeSpan timeout = TimeSpan.FromSeconds(2);
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.DockerHost, timeout))
            {
                string id = await StoppedContainerAsync(engines.Direct);
                try
                {
                    engines.Proxy.Rules.Add(new FaultRule { Method = "POST", Path = "/wait", Action = "delay", DelayMs = 20000 });
                    if (state != "exited")
                        engines.Proxy.Rules.Add(new FaultRule { Method = "GET", Path = $"/containers/{id}/json", Action = "replace-text", Find = "\"Status\":\"exited\"", Value = $"\"Status\":\"{state}\"" });
                    await FailsWith(ErrorCatalog.EngineTimeout, $"The engine at tcp://{engines.Proxy.Address} did not answer within 2 s when asked to wait for container {id} (-TimeoutSec).",
                        () => engines.Client.WaitContainerAsync(id, CancellationToken.None));
                }
                finally
                {
                    await engines.Direct.RemoveContainerAsync(id, true, CancellationToken.None);
                }
            }
        }

        [Fact]
        public async Task AContainerRemovedWhileTheEngineHoldsTheWaitIsContainerNotFound()
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.DockerHost, Timeout))
            {
                string image = await EngineFixture.PulledOciAsync(engines.Direct);
                string id = (await engines.Direct.CreateContainerAsync(EngineClientTests.Spec(image, "sleep", "60"), CancellationToken.None)).Id;
                await engines.Direct.StartContainerAsync(id, CancellationToken.None);
                engines.Proxy.Rules.Add(new FaultRule { Method = "POST", Path = "/wait", Action = "delay", DelayMs = 20000 });
                Task<long> waiting = engines.Client.WaitContainerAsync(id, CancellationToken.None);
                while (!engines.Proxy.Requests.Any(r => r.Path.Contains("/wait"))) await Task.Delay(50);
                await engines.Direct.RemoveContainerAsync(id, true, CancellationToken.None);
                await FailsWith(ErrorCatalog.ContainerNotFound, $"Container {id.Substring(0, 12)} was removed by someone else while the call waited for it to exit; it has no result to report.",
                    () => waiting);
            }
        }

        [Fact]
        public async Task AnEndpointThatAsksForTlsNeverSendsARequestInPlainHttp()
        {
            // A certificate folder without files: TLS without a client certificate, against the proxy's plain HTTP.
            string certificates = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "dt-tls-" + Guid.NewGuid().ToString("n"))).FullName;
            try
            {
                await using (var proxy = FaultServer.Started(Env.DockerHost))
                {
                    var endpoint = new EngineEndpoint(new Uri("tcp://" + proxy.Address), "the test", tlsVerify: false, certificatePath: certificates);
                    FailureException e = await Assert.ThrowsAsync<FailureException>(() => EngineClient.ConnectAsync(endpoint, Timeout, CancellationToken.None));
                    Assert.Equal(ErrorCatalog.EngineUnreachable, e.Kind);
                    Assert.Empty(proxy.Requests);
                }
            }
            finally
            {
                Directory.Delete(certificates, true);
            }
        }

        private static async Task<string> StoppedContainerAsync(EngineClient engine)
        {
            string image = await EngineFixture.PulledOciAsync(engine);
            string id = (await engine.CreateContainerAsync(EngineClientTests.Spec(image, "sh", "-c", "exit 3"), CancellationToken.None)).Id;
            await engine.StartContainerAsync(id, CancellationToken.None);
            Assert.Equal(3, await engine.WaitContainerAsync(id, CancellationToken.None));
            return id;
        }
    }
}
