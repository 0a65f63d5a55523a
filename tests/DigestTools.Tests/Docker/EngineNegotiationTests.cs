using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.TestServers;
using DigestTools.Tests.Pinning;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// How EngineClient.ConnectAsync learns the daemon's API version: from the headers of GET /_ping when they name
    /// a Docker or Podman daemon and an API no newer than ours, else from GET /version. The real dockerd and Podman
    /// stand behind the fault proxy, which counts the requests and bends the ping's headers.
    /// </summary>
    public sealed class EngineNegotiationTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;

        private static Task<EngineClient> ConnectAsync(FaultServer proxy)
            => EngineClient.ConnectAsync(new EngineEndpointResolver().Resolve("tcp://" + proxy.Address), TimeSpan.FromSeconds(60), CancellationToken.None);

        private static string[] Paths(FaultServer proxy) => proxy.Requests.Select(r => r.Path).ToArray();

        // The product as GET /version names it, asked directly: what the ping's Server header must agree with.
        private static async Task<string> ProductFromVersionAsync(FaultServer proxy)
        {
            using (var http = new HttpClient())
            using (JsonDocument version = JsonDocument.Parse(await http.GetStringAsync(new Uri(proxy.BaseUri, "/version"))))
            {
                string name = version.RootElement.GetProperty("Components")[0].GetProperty("Name").GetString();
                return (name == "Engine" ? "Docker Engine" : name) + " " + version.RootElement.GetProperty("Version").GetString();
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task NegotiatesFromThePingAloneAndNamesTheProductAsVersionWould(string engine)
        {
            await using (var proxy = FaultServer.Started(Env.EngineHost(engine)))
            {
                using (EngineClient client = await ConnectAsync(proxy))
                {
                    Assert.Equal(new[] { "/_ping" }, Paths(proxy));
                    Assert.Equal(new Version(1, 41), client.ApiVersion);
                    Assert.Equal(engine == "Podman", client.IsPodman);
                    Assert.Equal(await ProductFromVersionAsync(proxy), client.Product);
                }
            }
        }

        [Theory]
        [InlineData("drop-header", "Api-Version", null)]
        [InlineData("drop-header", "Server", null)]
        [InlineData("set-header", "Server", "nginx/1.25.3")]
        // Newer than ours: only /version tells whether the daemon still accepts our newest.
        [InlineData("set-header", "Api-Version", "1.99")]
        public async Task AsksVersionWhenThePingDoesNotSettleIt(string action, string header, string value)
        {
            await using (var proxy = FaultServer.Started(Env.EngineHost("Docker")))
            {
                proxy.Rules.Add(new FaultRule { Path = "^/_ping$", Action = action, Header = header, Value = value });
                using (EngineClient client = await ConnectAsync(proxy))
                {
                    Assert.Equal(new[] { "/_ping", "/version" }, Paths(proxy));
                    Assert.Equal(new Version(1, 41), client.ApiVersion);
                    Assert.StartsWith("Docker Engine ", client.Product);
                }
            }
        }

        [Fact]
        public async Task ReportsAPingAnsweredLikeAWebPageAsNotAContainerEngine()
        {
            await using (var proxy = FaultServer.Started(Env.EngineHost("Docker")))
            {
                proxy.Rules.Add(new FaultRule { Path = "^/_ping$", Action = "status", Status = 404, Body = "<html><body>Not Found</body></html>" });
                var e = await Assert.ThrowsAsync<FailureException>(() => ConnectAsync(proxy));
                Assert.Equal("NotAContainerEngine", e.ErrorId);
                Assert.Contains("did not answer like a container engine when asked to answer a ping: it answered HTTP 404", e.Message);
                Assert.Equal(new[] { "/_ping" }, Paths(proxy));
            }
        }

        [Fact]
        public async Task APingNamingExactlyOurNewestApiSettlesItWithoutVersion()
        {
            await using (var proxy = FaultServer.Started(Env.EngineHost("Docker")))
            {
                proxy.Rules.Add(new FaultRule { Path = "^/_ping$", Action = "set-header", Header = "Api-Version", Value = EngineApiVersion.ClientMaximum.ToString() });
                using (EngineClient client = await ConnectAsync(proxy))
                {
                    Assert.Equal(new[] { "/_ping" }, Paths(proxy));
                    Assert.Equal(EngineApiVersion.ClientMaximum, client.ApiVersion);
                }
            }
        }

        // Podman's compatible API (libpod) names itself "Podman Engine" in /version's components.
        [Fact]
        public async Task LibpodIsNamedByItsVersionReplyWhenThePingDoesNotSettleIt()
        {
            await using (var proxy = FaultServer.Started(Env.EngineHost("Podman")))
            {
                proxy.Rules.Add(new FaultRule { Path = "^/_ping$", Action = "drop-header", Header = "Api-Version" });
                using (EngineClient client = await ConnectAsync(proxy))
                {
                    Assert.Equal(new[] { "/_ping", "/version" }, Paths(proxy));
                    Assert.StartsWith("Podman Engine ", client.Product);
                    Assert.Equal(await ProductFromVersionAsync(proxy), client.Product);
                    Assert.True(client.IsPodman);
                }
            }
        }

        // An engine that names no components (older Docker releases): the product is Docker Engine and its version.
        [Theory]
        [InlineData("")]
        [InlineData(",\"Components\":[]")]
        public async Task AVersionReplyWithoutComponentsNamesDockerEngine(string components)
        {
            await using (var proxy = FaultServer.Started(Env.EngineHost("Docker")))
            {
                proxy.Rules.Add(new FaultRule { Path = "^/_ping$", Action = "drop-header", Header = "Api-Version" });
                proxy.Rules.Add(new FaultRule { Path = "^/version$", Action = "status", Status = 200, Body = "{\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.12\",\"Version\":\"20.10.99\"" + components + "}" });
                using (EngineClient client = await ConnectAsync(proxy))
                    Assert.Equal("Docker Engine 20.10.99", client.Product);
            }
        }

        [Theory]
        [InlineData("status", 500, "{\"message\":\"disk on fire\"}", "it answered HTTP 500 (disk on fire)")]
        [InlineData("status", 200, "<html><body>It works!</body></html>", "its reply is not the engine API's JSON")]
        [InlineData("status", 200, "{}", "its reply lacks what every engine sends")]
        public async Task AVersionReplyThatIsNoEnginesIsNotAContainerEngine(string action, int status, string body, string said)
        {
            await using (var proxy = FaultServer.Started(Env.EngineHost("Docker")))
            {
                proxy.Rules.Add(new FaultRule { Path = "^/_ping$", Action = "drop-header", Header = "Api-Version" });
                proxy.Rules.Add(new FaultRule { Path = "^/version$", Action = action, Status = status, Body = body });
                FailureException e = await Assert.ThrowsAsync<FailureException>(() => ConnectAsync(proxy));
                Assert.Equal(ErrorCatalog.NotAContainerEngine, e.Kind);
                Assert.Equal($"The address tcp://{proxy.Address} (from -EngineUri) did not answer like a container engine when asked to report its version: {said}. Check -EngineUri, DOCKER_HOST and DOCKER_CONTEXT.", e.Message);
            }
        }

        [Fact]
        public async Task APingTheEngineNeverAnswersEndsAtTheTimeoutNamingThePing()
        {
            await using (var proxy = FaultServer.Started(Env.EngineHost("Docker")))
            {
                proxy.Rules.Add(new FaultRule { Path = "^/_ping$", Action = "delay", DelayMs = 20000 });
                FailureException e = await Assert.ThrowsAsync<FailureException>(() =>
                    EngineClient.ConnectAsync(new EngineEndpointResolver().Resolve("tcp://" + proxy.Address), TimeSpan.FromSeconds(1), CancellationToken.None));
                Assert.Equal(ErrorCatalog.EngineTimeout, e.Kind);
                Assert.Equal($"The engine at tcp://{proxy.Address} did not answer within 1 s when asked to answer a ping (-TimeoutSec).", e.Message);
            }
        }

        [Fact]
        public async Task EveryRequestGoesToTheNegotiatedVersionsPaths()
        {
            await using (var proxy = FaultServer.Started(Env.EngineHost("Docker")))
            {
                using (EngineClient client = await ConnectAsync(proxy))
                    await client.ListNetworkNamesAsync(CancellationToken.None);
                Assert.StartsWith("/v1.41/networks", Paths(proxy).Last());
            }
        }

        // Tab completion's client: no ping, no /version (Podman takes seconds to answer it), unversioned paths.
        [Fact]
        public async Task AClientWithoutNegotiationAsksNothingFirstAndUsesUnversionedPaths()
        {
            await using (var proxy = FaultServer.Started(Env.EngineHost("Docker")))
            {
                using (EngineClient client = EngineClient.ConnectWithoutNegotiation(new EngineEndpointResolver().Resolve("tcp://" + proxy.Address)))
                {
                    Assert.Null(client.ApiVersion);
                    Assert.Equal("Engine", client.Product);
                    Assert.False(client.IsPodman);
                    Assert.Equal(EngineClient.DefaultTimeout, client.Timeout);
                    Assert.Contains("none", await client.ListNetworkNamesAsync(CancellationToken.None));
                }
                Assert.Equal(new[] { "/networks" }, Paths(proxy).Select(p => p.Split('?')[0]).ToArray());
            }
        }

        [Theory]
        [InlineData("Docker/20.10.24+dfsg1 (linux)", "Docker Engine 20.10.24+dfsg1")]
        [InlineData("Libpod/4.3.1 (linux)", "Podman Engine 4.3.1")]
        [InlineData("Docker/28.2.2", "Docker Engine 28.2.2")]
        [InlineData("nginx/1.25.3", null)]
        [InlineData("Docker/", null)]
        [InlineData("Docker", null)]
        [InlineData("", null)]
        [InlineData(null, null)]
        public void NamesTheProductFromTheServerHeader(string server, string expected)
            => Assert.Equal(expected, EnginePingHeaders.ProductFromServer(server));
    }
}
