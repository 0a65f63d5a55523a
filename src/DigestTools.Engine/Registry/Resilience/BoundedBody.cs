using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Registry.Resilience
{
    /// <summary>
    /// Reads a registry answer's body into memory, never more than a limit: a Content-Length above it is
    /// refused unread, and a body without one (chunked, endless) is cut off at the limit. Everything this
    /// client reads (manifests, error bodies, tokens) is small, so the limit is the manifest limit, 4 MiB,
    /// as in containerd; a body past it is ManifestTooLarge, which no retry can cure.
    /// </summary>
    internal static class BoundedBody
    {
        private const int ChunkBytes = 64 * 1024;

        /// <summary>The body's bytes (empty when there is none).</summary>
        /// <exception cref="FailureException">ManifestTooLarge.</exception>
        public static async Task<byte[]> ReadAsync(HttpResponseMessage response, long maxBytes, CancellationToken cancellationToken)
        {
            if (response.Content == null) return new byte[0];
            long? declared = response.Content.Headers.ContentLength;
            if (declared > maxBytes) throw TooLarge(response, maxBytes, declared + " bytes announced");

            // ReadAsStreamAsync takes no token on netstandard2.0: disposing the response aborts a stalled read.
            using (cancellationToken.Register(response.Dispose))
            using (Stream stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
            using (var into = new MemoryStream(declared.HasValue ? (int)declared.Value : ChunkBytes))
            {
                var chunk = new byte[ChunkBytes];
                while (true)
                {
                    int wanted = (int)Math.Min(chunk.Length, maxBytes + 1 - into.Length);
                    int read = await stream.ReadAsync(chunk, 0, wanted, cancellationToken).ConfigureAwait(false);
                    if (read == 0) return into.ToArray();
                    into.Write(chunk, 0, read);
                    // One byte past the limit proves the body is too large; nothing more is read.
                    if (into.Length > maxBytes) throw TooLarge(response, maxBytes, "more than that sent");
                }
            }
        }

        /// <summary>Reads the body within the limit and puts it back as buffered content, headers kept.</summary>
        public static async Task BufferAsync(HttpResponseMessage response, long maxBytes, CancellationToken cancellationToken)
        {
            if (response.Content == null || response.RequestMessage?.Method == HttpMethod.Head) return;
            byte[] bytes = await ReadAsync(response, maxBytes, cancellationToken).ConfigureAwait(false);
            var buffered = new ByteArrayContent(bytes);
            foreach (var header in response.Content.Headers) buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
            response.Content.Dispose();
            response.Content = buffered;
        }

        private static FailureException TooLarge(HttpResponseMessage response, long maxBytes, string what)
        {
            var request = response.RequestMessage;
            string where = request == null ? "a response" : request.Method + " " + request.RequestUri.AbsolutePath;
            string host = request == null ? "The registry" : Authentication.HostNames.Authority(request.RequestUri);
            response.Dispose();
            return new FailureException(ErrorCatalog.ManifestTooLarge,
                host + " answered " + where + " with a body over the " + maxBytes + "-byte limit (" + what
                + "); a manifest is at most 4 MiB, so it was not read further and not retried.");
        }
    }
}
