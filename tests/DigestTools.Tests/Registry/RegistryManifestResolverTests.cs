using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Registry;
using Xunit;
using DigestTools.Engine.Errors;

namespace DigestTools.Tests
{
    /// <summary>
    /// The resolution logic against scripted answers: the cases a real registry will not produce on demand
    /// (a missing or lying Docker-Content-Digest, an altered body, schema 1, a v1-only server). The happy paths
    /// run against the real registry in tests/GetImageDigest.Tests.ps1.
    /// </summary>
    public sealed class RegistryManifestResolverTests
    {
        private static readonly byte[] s_manifest = Encoding.UTF8.GetBytes("{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",\n   \"config\": {}\n}");
        private static readonly string s_manifestDigest = Sha256(s_manifest);
        private static readonly RegistryEndpoint s_endpoint = RegistryEndpoint.For("127.0.0.1:5000", null);

        private static string Sha256(byte[] bytes) => "sha256:" + string.Concat(SHA256.HashData(bytes).Select(b => b.ToString("x2")));

        private sealed class ScriptedRegistry : HttpMessageHandler
        {
            internal readonly List<HttpRequestMessage> Requests = new List<HttpRequestMessage>();
            internal Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Answer;

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                lock (Requests) Requests.Add(request);
                return Answer(request, cancellationToken);
            }

            internal string[] Log => Requests.Select(r => r.Method.Method + " " + r.RequestUri.AbsolutePath).ToArray();
        }

        private static HttpResponseMessage Ok(HttpRequestMessage request, byte[] body, string mediaType, string digestHeader)
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
            response.Content = new ByteArrayContent(request.Method == HttpMethod.Head ? new byte[0] : body);
            if (mediaType != null) response.Content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
            response.Content.Headers.ContentLength = body.Length;
            if (digestHeader != null) response.Headers.TryAddWithoutValidation("Docker-Content-Digest", digestHeader);
            return response;
        }

        private static HttpResponseMessage Error(HttpRequestMessage request, HttpStatusCode status, string code)
        {
            var response = new HttpResponseMessage(status) { RequestMessage = request };
            if (request.Method != HttpMethod.Head)
                response.Content = new StringContent("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"nope\"}]}", Encoding.UTF8, "application/json");
            return response;
        }

        private static (ManifestResolver, ScriptedRegistry) Create(Func<HttpRequestMessage, HttpResponseMessage> answer)
        {
            var registry = new ScriptedRegistry { Answer = (r, _) => Task.FromResult(answer(r)) };
            var transport = new RegistryTransport(registry, new CallbackLogger(null));
            return (new ManifestResolver(transport), registry);
        }

        private static ManifestQuery Query(string tag = "v1", string digest = null, string platform = null)
            => new ManifestQuery { Registry = "127.0.0.1:5000", Repository = "demo/app", Tag = tag, Digest = digest, Platform = platform };

        [Fact]
        public async Task AWellFormedHeaderIsTrustedAndOnlyHeadIsSent()
        {
            var (resolver, registry) = Create(r => Ok(r, s_manifest, ManifestMediaTypes.OciManifest, s_manifestDigest));
            ManifestResolution result = await resolver.ResolveAsync(s_endpoint, Query(), CancellationToken.None);
            Assert.Equal(s_manifestDigest, result.Digest);
            Assert.Equal(s_manifestDigest, result.PlatformDigest);
            Assert.Equal(ManifestMediaTypes.OciManifest, result.MediaType);
            Assert.Equal(s_manifest.Length, result.Size);
            Assert.Empty(result.Platforms);
            Assert.Equal(new[] { "HEAD /v2/demo/app/manifests/v1" }, registry.Log);
        }

        [Fact]
        public async Task TheAcceptHeaderNamesAllFourTypesAndNoSchema1()
        {
            var (resolver, registry) = Create(r => Ok(r, s_manifest, ManifestMediaTypes.OciManifest, s_manifestDigest));
            await resolver.ResolveAsync(s_endpoint, Query(), CancellationToken.None);
            string accept = string.Join(",", registry.Requests[0].Headers.GetValues("Accept"));
            foreach (string type in new[] { ManifestMediaTypes.OciIndex, ManifestMediaTypes.DockerManifestList, ManifestMediaTypes.OciManifest, ManifestMediaTypes.DockerManifest })
                Assert.Contains(type, accept);
            Assert.DoesNotContain(ManifestMediaTypes.DockerSchema1, accept);
            Assert.DoesNotContain(ManifestMediaTypes.DockerSchema1Signed, accept);
            Assert.DoesNotContain("distribution.manifest.v1", accept);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("sha256:ABCDEF")]
        [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
        [InlineData("sha256:C0FFEE0000000000000000000000000000000000000000000000000000000000")]
        public async Task AMissingOrMalformedHeaderFallsBackToGetAndHashesTheRawBytes(string header)
        {
            var (resolver, registry) = Create(r => Ok(r, s_manifest, ManifestMediaTypes.OciManifest, header));
            ManifestResolution result = await resolver.ResolveAsync(s_endpoint, Query(), CancellationToken.None);
            Assert.Equal(s_manifestDigest, result.Digest);
            Assert.Equal(new[] { "HEAD /v2/demo/app/manifests/v1", "GET /v2/demo/app/manifests/v1" }, registry.Log);
        }

        [Fact]
        public async Task ByDigestAnAlteredBodyIsDigestMismatchAndNothingIsReturned()
        {
            byte[] altered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(s_manifest).Replace("{}", "{ }"));
            var (resolver, _) = Create(r => Ok(r, altered, ManifestMediaTypes.OciManifest, null));
            var e = await Assert.ThrowsAsync<FailureException>(() => resolver.ResolveAsync(s_endpoint, Query(digest: s_manifestDigest), CancellationToken.None));
            Assert.Equal("DigestMismatch", e.ErrorId);
            Assert.Equal(FailureCategory.InvalidData, e.Category);
            Assert.Contains(s_manifestDigest, e.Message);
            Assert.Contains(Sha256(altered), e.Message);
        }

        [Fact]
        public async Task ByDigestAHeaderForAnotherDigestIsNotBelievedTheBodyDecides()
        {
            string other = "sha256:" + new string('1', 64);
            var (resolver, registry) = Create(r => Ok(r, s_manifest, ManifestMediaTypes.OciManifest, other));
            ManifestResolution result = await resolver.ResolveAsync(s_endpoint, Query(digest: s_manifestDigest), CancellationToken.None);
            Assert.Equal(s_manifestDigest, result.Digest);
            Assert.Equal(2, registry.Requests.Count);
        }

        [Fact]
        public async Task ByTagABodyThatDoesNotMatchItsOwnHeaderOnGetIsRejected()
        {
            // HEAD gives no header (so we GET); the GET claims a digest its body does not hash to.
            string claimed = "sha256:" + new string('2', 64);
            var (resolver, _) = Create(r => Ok(r, s_manifest, ManifestMediaTypes.OciManifest, r.Method == HttpMethod.Head ? null : claimed));
            var e = await Assert.ThrowsAsync<FailureException>(() => resolver.ResolveAsync(s_endpoint, Query(), CancellationToken.None));
            Assert.Equal("DigestMismatch", e.ErrorId);
        }

        [Theory]
        [InlineData(ManifestMediaTypes.DockerSchema1Signed)]
        [InlineData(ManifestMediaTypes.DockerSchema1)]
        public async Task Schema1IsUnsupported(string mediaType)
        {
            var (resolver, _) = Create(r => Ok(r, s_manifest, mediaType, s_manifestDigest));
            var e = await Assert.ThrowsAsync<FailureException>(() => resolver.ResolveAsync(s_endpoint, Query(), CancellationToken.None));
            Assert.Equal("SchemaV1Unsupported", e.ErrorId);
            Assert.Equal(FailureCategory.NotImplemented, e.Category);
            Assert.Equal("127.0.0.1:5000 serves 127.0.0.1:5000/demo/app:v1 as a Docker schema 1 manifest (" + mediaType
                + "), which is deprecated and not supported; push it again with a current client.", e.Message);
        }

        [Fact]
        public async Task ASchema1BodyBehindAGenericContentTypeIsUnsupported()
        {
            byte[] body = Encoding.UTF8.GetBytes("{\"schemaVersion\":1,\"name\":\"demo/app\",\"tag\":\"v1\",\"fsLayers\":[]}");
            var (resolver, _) = Create(r => Ok(r, body, "application/json", null));
            var e = await Assert.ThrowsAsync<FailureException>(() => resolver.ResolveAsync(s_endpoint, Query(), CancellationToken.None));
            Assert.Equal("SchemaV1Unsupported", e.ErrorId);
        }

        [Theory]
        [InlineData(HttpStatusCode.NotFound, "NAME_UNKNOWN", "NameUnknown")]
        [InlineData(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN", "ManifestUnknown")]
        [InlineData(HttpStatusCode.Unauthorized, "UNAUTHORIZED", "Unauthorized")]
        [InlineData(HttpStatusCode.Forbidden, "DENIED", "Denied")]
        [InlineData((HttpStatusCode)429, "TOOMANYREQUESTS", "TooManyRequests")]
        public async Task AFailedHeadIsRepeatedAsGetToReadTheErrorCode(HttpStatusCode status, string code, string errorId)
        {
            var (resolver, registry) = Create(r => Error(r, status, code));
            var e = await Assert.ThrowsAsync<FailureException>(() => resolver.ResolveAsync(s_endpoint, Query(), CancellationToken.None));
            Assert.Equal(errorId, e.ErrorId);
            Assert.Equal(new[] { "HEAD /v2/demo/app/manifests/v1", "GET /v2/demo/app/manifests/v1" }, registry.Log);
            Assert.Contains("127.0.0.1:5000/demo/app:v1", e.Message);
        }

        [Fact]
        public async Task AnIndexIsFetchedByItsDigestVerifiedAndAPlatformChosen()
        {
            string amd64 = "sha256:" + new string('a', 64), arm64 = "sha256:" + new string('b', 64);
            byte[] index = Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + amd64 + "\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}},"
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + arm64 + "\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}}]}");
            string indexDigest = Sha256(index);
            var (resolver, registry) = Create(r => Ok(r, index, ManifestMediaTypes.OciIndex, indexDigest));

            ManifestResolution result = await resolver.ResolveAsync(s_endpoint, Query(platform: "linux/arm64"), CancellationToken.None);

            Assert.Equal(indexDigest, result.Digest);
            Assert.Equal(arm64, result.PlatformDigest);
            Assert.Equal("linux/arm64/v8", result.Platform);
            Assert.Equal(new[] { "linux/amd64", "linux/arm64/v8" }, result.Platforms.Select(p => p.ToString()));
            Assert.Equal(new[] { "HEAD /v2/demo/app/manifests/v1", "GET /v2/demo/app/manifests/" + indexDigest }, registry.Log);

            var e = await Assert.ThrowsAsync<FailureException>(() => resolver.ResolveAsync(s_endpoint, Query(platform: "linux/ppc64le"), CancellationToken.None));
            Assert.Equal("PlatformNotFound", e.ErrorId);
            Assert.Contains("linux/amd64, linux/arm64/v8", e.Message);
        }

        [Fact]
        public async Task AnIndexWhoseBodyWasAlteredIsRejected()
        {
            byte[] index = Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}");
            var (resolver, _) = Create(r => Ok(r, index, ManifestMediaTypes.OciIndex, "sha256:" + new string('3', 64)));
            var e = await Assert.ThrowsAsync<FailureException>(() => resolver.ResolveAsync(s_endpoint, Query(), CancellationToken.None));
            Assert.Equal("DigestMismatch", e.ErrorId);
        }

        [Fact]
        public async Task RateLimitHeadersReachTheResult()
        {
            var (resolver, _) = Create(r =>
            {
                HttpResponseMessage response = Ok(r, s_manifest, ManifestMediaTypes.OciManifest, s_manifestDigest);
                response.Headers.TryAddWithoutValidation("ratelimit-limit", "100;w=21600");
                response.Headers.TryAddWithoutValidation("RateLimit-Remaining", "76;w=21600");
                return response;
            });
            ManifestResolution result = await resolver.ResolveAsync(s_endpoint, Query(), CancellationToken.None);
            Assert.Equal(100, result.RateLimitLimit);
            Assert.Equal(76, result.RateLimitRemaining);
        }

        [Fact]
        public async Task TheCallersCancellationIsNotATimeout()
        {
            var registry = new ScriptedRegistry { Answer = async (r, ct) => { await Task.Delay(Timeout.Infinite, ct); return null; } };
            var resolver = new ManifestResolver(new RegistryTransport(registry, new CallbackLogger(null)));
            using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100)))
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resolver.ResolveAsync(s_endpoint, Query(), cts.Token));
        }

        [Fact]
        public async Task ARefusedConnectionIsRegistryUnreachableNamingTheHost()
        {
            var registry = new ScriptedRegistry { Answer = (r, ct) => throw new HttpRequestException("Connection refused (127.0.0.1:5000)") };
            var resolver = new ManifestResolver(new RegistryTransport(registry, new CallbackLogger(null)));
            var e = await Assert.ThrowsAsync<FailureException>(() => resolver.ResolveAsync(s_endpoint, Query(), CancellationToken.None));
            Assert.Equal("RegistryUnreachable", e.ErrorId);
            Assert.Contains("127.0.0.1:5000", e.Message);
            Assert.Contains("Connection refused", e.Message);
        }

        [Fact]
        public async Task AV1OnlyRegistryIsRegistryV1UnsupportedAndAskedOnce()
        {
            // A v1 registry: no /v2/, but /v1/_ping answers.
            var registry = new ScriptedRegistry
            {
                Answer = (r, ct) => Task.FromResult(new HttpResponseMessage(r.RequestUri.AbsolutePath == "/v1/_ping" ? HttpStatusCode.OK : HttpStatusCode.NotFound) { RequestMessage = r }),
            };
            var check = new RegistryVersionCheck(new RegistryTransport(registry, new CallbackLogger(null)), CancellationToken.None);
            for (int i = 0; i < 3; i++)
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => check.EnsureAsync(s_endpoint, CancellationToken.None));
                Assert.Equal("RegistryV1Unsupported", e.ErrorId);
                Assert.Equal(FailureCategory.NotImplemented, e.Category);
                Assert.Equal("127.0.0.1:5000 speaks only the retired registry API v1 (GET /v2/ answered 404, /v1/_ping answered 200): it is not supported.", e.Message);
            }
            Assert.Equal(new[] { "GET /v2/", "GET /v1/_ping" }, registry.Log);
        }

        [Fact]
        public async Task AServerThatIsNoRegistryIsSaidToBeNoRegistryNotV1()
        {
            var registry = new ScriptedRegistry { Answer = (r, ct) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = r }) };
            var check = new RegistryVersionCheck(new RegistryTransport(registry, new CallbackLogger(null)), CancellationToken.None);
            var e = await Assert.ThrowsAsync<FailureException>(() => check.EnsureAsync(s_endpoint, CancellationToken.None));
            Assert.Same(ErrorCatalog.RegistryProtocolError, e.Kind);
            Assert.Contains("is not a container registry", e.Message);
            Assert.DoesNotContain("v1 is not supported", e.Message);
        }

        [Theory]
        [InlineData(HttpStatusCode.OK)]
        [InlineData(HttpStatusCode.Unauthorized)]
        public async Task A200OrA401OnV2MeansAV2Registry(HttpStatusCode status)
        {
            var registry = new ScriptedRegistry { Answer = (r, ct) => Task.FromResult(new HttpResponseMessage(status) { RequestMessage = r }) };
            var check = new RegistryVersionCheck(new RegistryTransport(registry, new CallbackLogger(null)), CancellationToken.None);
            await check.EnsureAsync(s_endpoint, CancellationToken.None);
            await check.EnsureAsync(s_endpoint, CancellationToken.None);
            Assert.Single(registry.Requests);
        }

        [Fact]
        public async Task VerboseTextNamesMethodAndUrlButNoHeaders()
        {
            var lines = new List<string>();
            var registry = new ScriptedRegistry { Answer = (r, _) => Task.FromResult(Ok(r, s_manifest, ManifestMediaTypes.OciManifest, s_manifestDigest)) };
            var resolver = new ManifestResolver(new RegistryTransport(registry, new CallbackLogger(l => { lock (lines) lines.Add(l); })));
            await resolver.ResolveAsync(s_endpoint, Query(), CancellationToken.None);
            Assert.Contains("HEAD http://127.0.0.1:5000/v2/demo/app/manifests/v1", lines);
            Assert.Contains(lines, l => l.Contains("200") && l.Contains(s_manifestDigest));
            Assert.DoesNotContain(lines, l => l.Contains("Accept") || l.Contains("Authorization"));
        }

        private static readonly string s_amd64 = "sha256:" + new string('a', 64);

        private static byte[] Index(string mediaTypeMember, string digest = null)
            => Encoding.UTF8.GetBytes("{\"schemaVersion\":2," + mediaTypeMember + "\"manifests\":["
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + (digest ?? s_amd64) + "\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}");

        [Theory]
        [InlineData("application/json")]
        [InlineData("application/octet-stream")]
        [InlineData("text/plain")]
        [InlineData(null)]
        public async Task BehindAGenericContentTypeTheBodysMediaTypeNamesTheManifest(string contentType)
        {
            // The header digest is well formed and right, but a generic type says nothing: the body is read.
            var (resolver, registry) = Create(r => Ok(r, s_manifest, contentType, s_manifestDigest));
            ManifestResolution result = await resolver.ResolveAsync(s_endpoint, Query(), CancellationToken.None);
            Assert.Equal(s_manifestDigest, result.Digest);
            Assert.Equal(ManifestMediaTypes.OciManifest, result.MediaType);
            Assert.Equal(s_manifest.Length, result.Size);
            Assert.Equal(new[] { "HEAD /v2/demo/app/manifests/v1", "GET /v2/demo/app/manifests/v1" }, registry.Log);
        }

        [Theory]
        [InlineData("")]
        [InlineData("\"mediaType\":\"\",")]
        public async Task AnIndexWithoutAnyMediaTypeIsKnownByItsManifestsAndChosenFromItsOwnBody(string mediaTypeMember)
        {
            byte[] index = Index(mediaTypeMember);
            var (resolver, registry) = Create(r => Ok(r, index, "application/json", null));
            ManifestResolution result = await resolver.ResolveAsync(s_endpoint, Query(platform: "linux/amd64"), CancellationToken.None);
            Assert.Equal(ManifestMediaTypes.OciIndex, result.MediaType);
            Assert.Equal(Sha256(index), result.Digest);
            Assert.Equal(s_amd64, result.PlatformDigest);
            Assert.Equal("linux/amd64", result.Platform);
            // The GET's body is the index: it is not fetched a second time by digest.
            Assert.Equal(new[] { "HEAD /v2/demo/app/manifests/v1", "GET /v2/demo/app/manifests/v1" }, registry.Log);
        }

        [Fact]
        public async Task AManifestWithoutAnyMediaTypeAndNoManifestsIsAnImageManifest()
        {
            byte[] body = Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"config\":{},\"layers\":[]}");
            var (resolver, _) = Create(r => Ok(r, body, null, null));
            ManifestResolution result = await resolver.ResolveAsync(s_endpoint, Query(), CancellationToken.None);
            Assert.Equal(ManifestMediaTypes.OciManifest, result.MediaType);
            Assert.Equal(Sha256(body), result.PlatformDigest);
            Assert.Null(result.Platform);
        }

        [Fact]
        public async Task AnUnreadableBodyBehindAGenericTypeIsManifestInvalid()
        {
            byte[] body = Encoding.UTF8.GetBytes("<html>not a manifest</html>");
            var (resolver, _) = Create(r => Ok(r, body, "text/plain", null));
            var e = await Assert.ThrowsAsync<FailureException>(() => resolver.ResolveAsync(s_endpoint, Query(), CancellationToken.None));
            Assert.Equal("ManifestInvalid", e.ErrorId);
            Assert.Contains("127.0.0.1:5000/demo/app:v1", e.Message);
        }

        [Fact]
        public async Task ASchema1TypeOnTheGetAfterAFailedHeadIsUnsupported()
        {
            var (resolver, _) = Create(r => r.Method == HttpMethod.Head
                ? new HttpResponseMessage(HttpStatusCode.MethodNotAllowed) { RequestMessage = r }
                : Ok(r, s_manifest, ManifestMediaTypes.DockerSchema1Signed, null));
            var e = await Assert.ThrowsAsync<FailureException>(() => resolver.ResolveAsync(s_endpoint, Query(), CancellationToken.None));
            Assert.Equal("SchemaV1Unsupported", e.ErrorId);
        }

        [Fact]
        public async Task AnIndexIsFetchedOncePerClientAndAFailedFetchIsNotKept()
        {
            byte[] index = Index("\"mediaType\":\"application/vnd.oci.image.index.v1+json\",");
            string indexDigest = Sha256(index);
            int indexGets = 0;
            var (resolver, registry) = Create(r =>
            {
                if (r.Method == HttpMethod.Get && Interlocked.Increment(ref indexGets) == 1) return Error(r, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
                return Ok(r, index, ManifestMediaTypes.OciIndex, indexDigest);
            });

            var e = await Assert.ThrowsAsync<FailureException>(() => resolver.ResolveAsync(s_endpoint, Query(platform: "linux/amd64"), CancellationToken.None));
            Assert.Equal("ManifestUnknown", e.ErrorId);
            for (int i = 0; i < 3; i++)
                Assert.Equal(s_amd64, (await resolver.ResolveAsync(s_endpoint, Query(platform: "linux/amd64"), CancellationToken.None)).PlatformDigest);
            Assert.Equal(2, registry.Log.Count(l => l == "GET /v2/demo/app/manifests/" + indexDigest));
            Assert.Equal(4, registry.Log.Count(l => l == "HEAD /v2/demo/app/manifests/v1"));
        }

        [Fact]
        public async Task ACallerThatStopsWaitingLeavesTheSharedIndexFetchToTheOthers()
        {
            byte[] index = Index("\"mediaType\":\"application/vnd.oci.image.index.v1+json\",");
            string indexDigest = Sha256(index);
            var indexAsked = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var answerIndex = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var registry = new ScriptedRegistry
            {
                // The index GET is held until the test lets it answer: the first caller stops while it is in flight.
                Answer = async (r, _) =>
                {
                    if (r.Method == HttpMethod.Get) { indexAsked.TrySetResult(true); await answerIndex.Task; }
                    return Ok(r, index, ManifestMediaTypes.OciIndex, indexDigest);
                },
            };
            var resolver = new ManifestResolver(new RegistryTransport(registry, new CallbackLogger(null)));
            using (var stop = new CancellationTokenSource())
            {
                Task<ManifestResolution> first = resolver.ResolveAsync(s_endpoint, Query(platform: "linux/amd64"), stop.Token);
                await indexAsked.Task;
                stop.Cancel();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
            }
            Task<ManifestResolution> second = resolver.ResolveAsync(s_endpoint, Query(platform: "linux/amd64"), CancellationToken.None);
            answerIndex.SetResult(true);
            Assert.Equal(s_amd64, (await second).PlatformDigest);
            // The stopped caller's fetch went on and served the next one: the index was asked for once.
            Assert.Equal(1, registry.Log.Count(l => l == "GET /v2/demo/app/manifests/" + indexDigest));
        }

        [Fact]
        public async Task AnIndexWithoutPlatformsSaysNoneAreAvailable()
        {
            byte[] index = Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}");
            var (resolver, _) = Create(r => Ok(r, index, ManifestMediaTypes.OciIndex, Sha256(index)));
            var e = await Assert.ThrowsAsync<FailureException>(() => resolver.ResolveAsync(s_endpoint, Query(platform: "linux/amd64"), CancellationToken.None));
            Assert.Equal("PlatformNotFound", e.ErrorId);
            Assert.Equal("127.0.0.1:5000/demo/app:v1 on 127.0.0.1:5000 has no image for platform linux/amd64. Available: none.", e.Message);
        }

        [Fact]
        public async Task APlatformEntryWithAMalformedDigestIsNotChosen()
        {
            byte[] index = Index("\"mediaType\":\"application/vnd.oci.image.index.v1+json\",", "sha256:short");
            var (resolver, _) = Create(r => Ok(r, index, ManifestMediaTypes.OciIndex, Sha256(index)));
            var e = await Assert.ThrowsAsync<FailureException>(() => resolver.ResolveAsync(s_endpoint, Query(platform: " linux/amd64 "), CancellationToken.None));
            Assert.Equal("PlatformNotFound", e.ErrorId);
            Assert.Contains("platform linux/amd64. Available: linux/amd64.", e.Message);
        }

        [Fact]
        public async Task WithoutAPlatformAskedTheDefaultIsLinuxOnThisMachine()
        {
            string arm64 = "sha256:" + new string('b', 64);
            byte[] index = Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + "{\"digest\":\"" + s_amd64 + "\",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}},"
                + "{\"digest\":\"" + arm64 + "\",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}}]}");
            var (resolver, _) = Create(r => Ok(r, index, ManifestMediaTypes.OciIndex, Sha256(index)));
            ManifestResolution result = await resolver.ResolveAsync(s_endpoint, Query(platform: "  "), CancellationToken.None);
            Assert.Equal(PlatformSelector.DefaultPlatform() == "linux/arm64" ? arm64 : s_amd64, result.PlatformDigest);
        }

        [Fact]
        public async Task AHeadWithoutContentLengthGivesSizeZeroAndTheHeadersRateLimit()
        {
            var (resolver, _) = Create(r =>
            {
                var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = r, Content = new ByteArrayContent(new byte[0]) };
                response.Content.Headers.TryAddWithoutValidation("Content-Type", ManifestMediaTypes.DockerManifest);
                response.Content.Headers.ContentLength = null;
                response.Headers.TryAddWithoutValidation("Docker-Content-Digest", s_manifestDigest);
                response.Headers.TryAddWithoutValidation("RateLimit-Remaining", "5");
                return response;
            });
            ManifestResolution result = await resolver.ResolveAsync(s_endpoint, Query(), CancellationToken.None);
            Assert.Equal(ManifestMediaTypes.DockerManifest, result.MediaType);
            Assert.Equal(0, result.Size);
            Assert.Equal(5, result.RateLimitRemaining);
        }

        [Fact]
        public async Task AfterAGetTheRateLimitComesFromTheGet()
        {
            var (resolver, _) = Create(r =>
            {
                HttpResponseMessage response = Ok(r, s_manifest, ManifestMediaTypes.OciManifest, null);
                response.Headers.TryAddWithoutValidation("RateLimit-Remaining", r.Method == HttpMethod.Head ? "9" : "8");
                return response;
            });
            ManifestResolution result = await resolver.ResolveAsync(s_endpoint, Query(), CancellationToken.None);
            Assert.Equal(8, result.RateLimitRemaining);
        }
    }
}
