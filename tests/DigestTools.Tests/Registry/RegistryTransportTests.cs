using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Registry;
using DigestTools.Tests.Support;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// The one request of RegistryTransport over a scripted handler: the -Verbose lines it writes, and the errors it makes of a
    /// failure its handler chain let through (the chain's RetryHandler turns most into FailureExceptions before they get here,
    /// but the transport must not depend on that).
    /// </summary>
    public sealed class RegistryTransportTests
    {
        private static async Task<FailureException> FailureOf(string registry, string uri, Exception thrown)
        {
            using (var transport = new RegistryTransport(new ScriptedHandler(_ => throw thrown), new CallbackLogger(null)))
                return await Assert.ThrowsAsync<FailureException>(() => transport.SendAsync(HttpMethod.Get, new Uri(uri), null, registry, CancellationToken.None));
        }

        private static HttpRequestException Refused() => new HttpRequestException("An error occurred while sending the request.", new IOException("Connection refused"));

        [Theory]
        [InlineData("127.0.0.1:5000", "http://127.0.0.1:5000/v2/")]
        [InlineData("LocalHost:5000", "http://localhost:5000/v2/")]
        [InlineData("[::1]:5000", "http://[::1]:5000/v2/")]
        [InlineData("registry.example", "https://registry.example/v2/")]
        [InlineData("registry.example:443", "https://registry.example/v2/")]
        [InlineData("registry.example:80", "http://registry.example/v2/")]
        public async Task AnUnreachableRegistryAskedAtItsOwnAddressIsNamedOnce(string registry, string uri)
        {
            FailureException e = await FailureOf(registry, uri, Refused());
            Assert.Equal("RegistryUnreachable", e.ErrorId);
            Assert.Equal("Cannot reach registry " + registry + ": Connection refused", e.Message);
        }

        [Theory]
        [InlineData("docker.io", "https://registry-1.docker.io/v2/", "registry-1.docker.io")]
        [InlineData("127.0.0.1:5000", "http://127.0.0.1:5001/v2/", "127.0.0.1:5001")]
        [InlineData("registry.example:5000", "https://registry.example/v2/", "registry.example")]
        [InlineData("registry.example", "https://registry.example:5000/v2/", "registry.example:5000")]
        public async Task AnUnreachableRegistryServedByAnotherAddressNamesTheAddressTried(string registry, string uri, string tried)
        {
            FailureException e = await FailureOf(registry, uri, Refused());
            Assert.Equal("RegistryUnreachable", e.ErrorId);
            Assert.Equal("Cannot reach registry " + registry + " (" + tried + "): Connection refused", e.Message);
        }

        [Fact]
        public async Task AStopThatIsNotTheCallersIsRegistryTimeout()
        {
            FailureException e = await FailureOf("127.0.0.1:5000", "http://127.0.0.1:5000/v2/demo/app/manifests/v1", new TaskCanceledException());
            Assert.Equal("RegistryTimeout", e.ErrorId);
            Assert.Equal("127.0.0.1:5000 did not answer GET /v2/demo/app/manifests/v1 in time.", e.Message);
        }

        [Fact]
        public async Task TheCallersStopIsNoTimeout()
        {
            using (var stop = new CancellationTokenSource())
            using (var transport = new RegistryTransport(new ScriptedHandler(_ => { stop.Cancel(); throw new OperationCanceledException(stop.Token); }), new CallbackLogger(null)))
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(
                    () => transport.SendAsync(HttpMethod.Get, new Uri("http://127.0.0.1:5000/v2/"), null, "127.0.0.1:5000", stop.Token));
            }
        }

        [Fact]
        public async Task TheVerboseLinesNameTheRequestItsStatusAndTheDigestTheRegistryGave()
        {
            const string digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
            var lines = new List<string>();
            var handler = new ScriptedHandler(request =>
            {
                var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new ByteArrayContent(new byte[0]) };
                if (request.RequestUri.AbsolutePath.Contains("/manifests/")) response.Headers.TryAddWithoutValidation("Docker-Content-Digest", digest);
                return response;
            });
            using (var transport = new RegistryTransport(handler, new CallbackLogger(lines.Add)))
            {
                await transport.SendAsync(HttpMethod.Get, new Uri("http://127.0.0.1:5000/v2/"), null, "127.0.0.1:5000", CancellationToken.None);
                RegistryResponse manifest = await transport.SendAsync(HttpMethod.Head, new Uri("http://127.0.0.1:5000/v2/demo/app/manifests/v1"), null, "127.0.0.1:5000", CancellationToken.None);
                Assert.Equal(digest, manifest.ContentDigest);
            }
            Assert.Equal(new[]
            {
                "GET http://127.0.0.1:5000/v2/",
                "GET http://127.0.0.1:5000/v2/: 200 OK",
                "HEAD http://127.0.0.1:5000/v2/demo/app/manifests/v1",
                "HEAD http://127.0.0.1:5000/v2/demo/app/manifests/v1: 200 OK " + digest,
            }, lines);
        }

        [Fact]
        public void TheHttpClientHasNoTimeoutOfItsOwnSoRetryAfterWaitsAreNotCutAt100Seconds()
        {
            using (HttpClient http = RegistryTransport.CreateHttpClient(new HttpClientHandler()))
            {
                Assert.Equal(Timeout.InfiniteTimeSpan, http.Timeout);
                Assert.Equal(RegistryTransport.MaxManifestBytes, http.MaxResponseContentBufferSize);
            }
        }
    }
}
