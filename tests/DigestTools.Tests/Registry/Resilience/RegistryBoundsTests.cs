using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Registry;
using DigestTools.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using DigestTools.TestServers;

namespace DigestTools.Tests
{
    /// <summary>
    /// What one reference may cost against a hostile registry in front of the real one: a body past the
    /// 4 MiB manifest limit is refused at once, and -TimeoutSec bounds the whole resolution, retries and
    /// Retry-After waits included. Requests and bytes are counted, not time.
    /// </summary>
    [Collection(AuthRegistriesCollection.Name)]
    public sealed class RegistryBoundsTests : AuthRegistriesTests
    {
        private const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
        private readonly ITestOutputHelper _output;

        public RegistryBoundsTests(AuthRegistriesFixture fixture, ITestOutputHelper output)
            : base(fixture)
        {
            _output = output;
        }

        // The version check reaches the real registry; manifest requests get the hostile answer.
        private FaultServer Hostile(params FaultRule[] manifestRules)
        {
            var registry = FaultServer.Started(_f.Anonymous.Address);
            foreach (var rule in manifestRules)
            {
                rule.Path = "/manifests/";
                registry.Rules.Add(rule);
            }
            return registry;
        }

        // HEAD answers 200 without a digest, so the GET's body decides.
        private static FaultRule HeadWithoutDigest => new FaultRule { Method = "HEAD", Action = "status", Status = 200 };
        private static FaultRule ManifestContentType => new FaultRule { Action = "set-header", Header = "Content-Type", Value = OciManifest };

        private async Task<FailureException> ResolveFails(FaultServer registry, TimeSpan timeout)
        {
            var watch = Stopwatch.StartNew();
            using (var client = new RegistryClient(new RegistryClientOptions { RequestTimeout = timeout }))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => client.ResolveAsync(
                    new ManifestQuery { Registry = registry.Address, Repository = Repository, Tag = "v1" }, default));
                _output.WriteLine($"{e.ErrorId} after {watch.ElapsedMilliseconds} ms, {registry.Requests.Count} requests, {registry.BodyBytesSent} body bytes sent");
                return e;
            }
        }

        [Fact]
        public async Task AnEndlessChunkedManifestIsManifestTooLargeAfterOneRequestAndAtMostTheLimitRead()
        {
            // HEAD gives no digest, so the GET's body decides; that body never ends.
            await using (var registry = Hostile(HeadWithoutDigest, ManifestContentType,
                new FaultRule { Method = "GET", Action = "endless-body", Header = "Content-Type", Value = OciManifest }))
            {
                var e = await ResolveFails(registry, TimeSpan.FromSeconds(30));
                Assert.Equal("ManifestTooLarge", e.ErrorId);
                Assert.Equal(FailureCategory.InvalidData, e.Category);
                Assert.Single(registry.Requests, r => r.Method == "GET" && r.Path.Contains("/manifests/"));
                // 4 MiB read, plus what the two loopback socket buffers held when the client hung up.
                Assert.InRange(registry.BodyBytesSent, RegistryTransportLimit, RegistryTransportLimit + 16L * 1024 * 1024);
            }
        }

        [Fact]
        public async Task AnnouncedLengthOverTheLimitIsManifestTooLargeWithoutRetry()
        {
            await using (var registry = Hostile(HeadWithoutDigest,
                new FaultRule { Method = "GET", Action = "status", Status = 200, BodyLength = RegistryTransportLimit + 1 }, ManifestContentType))
            {
                var e = await ResolveFails(registry, TimeSpan.FromSeconds(30));
                Assert.Equal("ManifestTooLarge", e.ErrorId);
                Assert.Single(registry.Requests, r => r.Method == "GET" && r.Path.Contains("/manifests/"));
            }
        }

        [Theory]
        [InlineData("1")]
        [InlineData("60")]     // at the Retry-After cap: waited for today, but not past the deadline
        public async Task RetryAfterCannotHoldAReferencePastItsDeadline(string retryAfter)
        {
            // Without the deadline: HEAD and the GET fallback, 4 attempts each, 3 Retry-After waits each.
            await using (var registry = Hostile(new FaultRule { Action = "status", Status = 503, RetryAfter = retryAfter }))
            {
                var e = await ResolveFails(registry, TimeSpan.FromSeconds(2));
                Assert.Equal("RegistryTimeout", e.ErrorId);
                Assert.Equal(FailureCategory.OperationTimeout, e.Category);
                Assert.Equal(registry.Address + "/" + Repository + ":v1 was not resolved within 2 s"
                    + " (-TimeoutSec bounds each reference, retries and waits included).", e.Message);
                int manifestRequests = registry.Requests.Count(r => r.Path.Contains("/manifests/"));
                // Waits of 1 s in a 2 s deadline leave room for at most three attempts; 60 s for one.
                Assert.InRange(manifestRequests, 1, retryAfter == "1" ? 3 : 1);
            }
        }

        private static int RegistryTransportLimit => 4 * 1024 * 1024;
    }
}
