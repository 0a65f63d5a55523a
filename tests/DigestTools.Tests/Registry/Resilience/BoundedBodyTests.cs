using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Registry.Resilience;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>The body limit at its edges: exactly the limit is read, one byte more is ManifestTooLarge, announced or not.</summary>
    public sealed class BoundedBodyTests
    {
        private static HttpResponseMessage Response(byte[] body, bool announceLength, HttpMethod method = null)
            => Response(announceLength ? new ByteArrayContent(body) : new StreamContent(new UnseekableStream(body)), method);

        private static HttpResponseMessage Response(HttpContent content, HttpMethod method = null)
        {
            // A StreamContent of a non-seekable stream announces no length, like a chunked answer.
            content.Headers.TryAddWithoutValidation("Content-Type", "application/vnd.oci.image.manifest.v1+json");
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = content,
                RequestMessage = new HttpRequestMessage(method ?? HttpMethod.Get, "http://reg.example:5000/v2/a/manifests/v1"),
            };
        }

        private sealed class UnseekableStream : MemoryStream
        {
            public UnseekableStream(byte[] bytes) : base(bytes) { }
            public override bool CanSeek => false;

            /// <summary>Bytes the reader took (every read path of a MemoryStream subclass ends here).</summary>
            public long Taken { get; private set; }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int read = base.Read(buffer, offset, count);
                Taken += read;
                return read;
            }
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task ExactlyTheLimitIsReadWhole(bool announced)
        {
            byte[] body = new byte[100];
            body[99] = 7;
            Assert.Equal(body, await BoundedBody.ReadAsync(Response(body, announced), 100, CancellationToken.None));
        }

        [Fact]
        public async Task ALongerAnnouncedBodyIsRefusedUnread()
        {
            var e = await Assert.ThrowsAsync<FailureException>(() => BoundedBody.ReadAsync(Response(new byte[101], true), 100, CancellationToken.None));
            Assert.Same(ErrorCatalog.ManifestTooLarge, e.Kind);
            Assert.Equal("reg.example:5000 answered GET /v2/a/manifests/v1 with a body over the 100-byte limit (101 bytes announced);"
                + " a manifest is at most 4 MiB, so it was not read further and not retried.", e.Message);
        }

        [Fact]
        public async Task ALongerUnannouncedBodyIsCutOffOneBytePastTheLimit()
        {
            // Several chunks' worth, so the cut happens inside the loop, not at its first read.
            var body = new UnseekableStream(new byte[200 * 1024]);
            var e = await Assert.ThrowsAsync<FailureException>(() => BoundedBody.ReadAsync(Response(new StreamContent(body)), 70 * 1024, CancellationToken.None));
            Assert.Equal("reg.example:5000 answered GET /v2/a/manifests/v1 with a body over the 71680-byte limit (more than that sent);"
                + " a manifest is at most 4 MiB, so it was not read further and not retried.", e.Message);
            Assert.Equal(70 * 1024 + 1, body.Taken);
        }

        [Fact]
        public async Task ARefusedBodyIsClosedNotLeftHoldingTheConnection()
        {
            HttpResponseMessage response = Response(new byte[101], true);
            await Assert.ThrowsAsync<FailureException>(() => BoundedBody.ReadAsync(response, 100, CancellationToken.None));
            await Assert.ThrowsAsync<System.ObjectDisposedException>(() => response.Content.ReadAsByteArrayAsync());
        }

        [Fact]
        public async Task AnUnannouncedBodyOfSeveralChunksUnderTheLimitIsReadWhole()
        {
            byte[] body = new byte[150 * 1024];
            body[body.Length - 1] = 9;
            Assert.Equal(body, await BoundedBody.ReadAsync(Response(body, false), 4 * 1024 * 1024, CancellationToken.None));
        }

        [Fact]
        public async Task AnAnswerWithoutARequestIsStillNamed()
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(new byte[11]) };
            var e = await Assert.ThrowsAsync<FailureException>(() => BoundedBody.ReadAsync(response, 10, CancellationToken.None));
            Assert.StartsWith("The registry answered a response with a body over the 10-byte limit (11 bytes announced);", e.Message);
        }

        [Fact]
        public async Task BufferingKeepsTheBodyAndItsHeaders()
        {
            HttpResponseMessage response = Response(new byte[] { 1, 2, 3 }, false);
            await BoundedBody.BufferAsync(response, 100, CancellationToken.None);
            Assert.IsType<ByteArrayContent>(response.Content);
            Assert.Equal(new byte[] { 1, 2, 3 }, await response.Content.ReadAsByteArrayAsync());
            Assert.Equal("application/vnd.oci.image.manifest.v1+json", response.Content.Headers.ContentType.MediaType);
        }

        [Fact]
        public async Task AHeadAnswerIsNotRead()
        {
            HttpResponseMessage response = Response(new byte[500], true, HttpMethod.Head);
            HttpContent before = response.Content;
            await BoundedBody.BufferAsync(response, 100, CancellationToken.None);
            Assert.Same(before, response.Content);
        }
    }
}
