using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// The ping's headers read on the way through the transport (EngineClient's negotiation without GET /version):
    /// what TryIdentify answers for the headers a reply carried, and that the reply itself passes unchanged.
    /// </summary>
    public sealed class EnginePingHeadersTests
    {
        private sealed class Answer : HttpMessageHandler
        {
            private readonly string _apiVersion;
            private readonly string _server;

            internal Answer(string apiVersion, string server)
            {
                _apiVersion = apiVersion;
                _server = server;
            }

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("OK") };
                if (_apiVersion != null) response.Headers.TryAddWithoutValidation("Api-Version", _apiVersion);
                if (_server != null) response.Headers.TryAddWithoutValidation("Server", _server);
                return Task.FromResult(response);
            }
        }

        private static async Task<(bool Known, string Version, string Product, string Body)> PingAsync(string apiVersion, string server)
        {
            var headers = new EnginePingHeaders(null);
            using (var invoker = new HttpMessageInvoker(headers.ConfigureHandler(new Answer(apiVersion, server))))
            using (HttpResponseMessage reply = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://engine/_ping"), CancellationToken.None))
            {
                bool known = headers.TryIdentify(out string version, out string product);
                return (known, version, product, await reply.Content.ReadAsStringAsync());
            }
        }

        [Fact]
        public async Task ADockerPingWithItsApiVersionIdentifiesTheDaemon()
            => Assert.Equal((true, "1.41", "Docker Engine 20.10.24", "OK"), await PingAsync("1.41", "Docker/20.10.24 (linux)"));

        [Fact]
        public async Task APingWithoutAnApiVersionDoesNotIdentify()
            => Assert.False((await PingAsync(null, "Docker/20.10.24 (linux)")).Known);

        [Fact]
        public async Task APingFromAnotherServerDoesNotIdentify()
            => Assert.False((await PingAsync("1.41", "nginx/1.25.3")).Known);

        [Fact]
        public void NothingIsIdentifiedBeforeAReplyAndThereIsNoTlsWithoutATlsProvider()
        {
            var headers = new EnginePingHeaders(null);
            Assert.False(headers.TryIdentify(out _, out _));
            Assert.False(headers.TlsEnabled);
        }
    }
}
