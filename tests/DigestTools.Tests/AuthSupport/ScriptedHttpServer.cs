using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DigestTools.Tests.AuthSupport
{
    /// <summary>
    /// A tiny HTTP/1.1 server on loopback for what the real registry cannot do: fail on purpose (status
    /// sequences, dropped bodies, slow answers, redirects) in front of the real registry, to which it
    /// forwards everything else. Raw sockets so a body can be cut mid-way. Records every request.
    /// </summary>
    public sealed class ScriptedHttpServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly Func<RecordedRequest, int, Reply> _script;
        private readonly ConcurrentQueue<RecordedRequest> _requests = new ConcurrentQueue<RecordedRequest>();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly HttpClient _upstream = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        private int _count;
        private long _bodyBytesSent;

        public ScriptedHttpServer(Func<RecordedRequest, int, Reply> script, string address = "127.0.0.1")
        {
            _script = script;
            _listener = new TcpListener(IPAddress.Parse(address), 0);
            _listener.Start();
            Authority = address + ":" + ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = Task.Run(AcceptLoopAsync);
        }

        /// <summary>"127.0.0.1:port".</summary>
        public string Authority { get; }
        public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

        /// <summary>Body bytes written to clients (an endless body counts what the client let through).</summary>
        public long BodyBytesSent => Interlocked.Read(ref _bodyBytesSent);

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false); }
                catch (Exception) { return; }
                _ = Task.Run(() => ServeAsync(client));
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var request = await ReadRequestAsync(stream).ConfigureAwait(false);
                    if (request == null) return;
                    int index = Interlocked.Increment(ref _count) - 1;
                    _requests.Enqueue(request);
                    var reply = _script(request, index);
                    if (reply.Delay > TimeSpan.Zero) await Task.Delay(reply.Delay, _stop.Token).ConfigureAwait(false);
                    if (reply.ForwardTo != null) reply = await ForwardAsync(request, reply).ConfigureAwait(false);
                    if (reply.EndlessChunkedBody) await WriteEndlessAsync(stream, reply).ConfigureAwait(false);
                    else await WriteAsync(stream, request, reply).ConfigureAwait(false);
                }
                catch (Exception) { /* the client went away or we were stopped */ }
            }
        }

        private async Task<Reply> ForwardAsync(RecordedRequest request, Reply reply)
        {
            var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(reply.ForwardTo, request.PathAndQuery));
            foreach (var header in request.Headers)
            {
                if (header.Key.Equals("Host", StringComparison.OrdinalIgnoreCase) || header.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase)) continue;
                if (header.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) && reply.ForwardAuthorization != null) continue;
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            if (reply.ForwardAuthorization != null) message.Headers.TryAddWithoutValidation("Authorization", reply.ForwardAuthorization);
            using (var response = await _upstream.SendAsync(message).ConfigureAwait(false))
            {
                var headers = new List<KeyValuePair<string, string>>();
                foreach (var h in response.Headers.Concat(response.Content.Headers))
                {
                    if (h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                        || h.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase)) continue;
                    foreach (var v in h.Value) headers.Add(new KeyValuePair<string, string>(h.Key, v));
                }
                headers.AddRange(reply.Headers);
                byte[] body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                return new Reply
                {
                    Status = (int)response.StatusCode,
                    Headers = headers,
                    Body = body,
                    HeadContentLength = response.Content.Headers.ContentLength,
                    DropAfterBytes = reply.DropAfterBytes,
                };
            }
        }

        // A chunked body that never ends (until the client hangs up, or 1 GiB as a safety stop).
        private async Task WriteEndlessAsync(Stream stream, Reply reply)
        {
            var head = new StringBuilder("HTTP/1.1 200 OK\r\n");
            foreach (var h in reply.Headers) head.Append(h.Key).Append(": ").Append(h.Value).Append("\r\n");
            head.Append("Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
            byte[] headBytes = Encoding.ASCII.GetBytes(head.ToString());
            await stream.WriteAsync(headBytes, 0, headBytes.Length).ConfigureAwait(false);
            byte[] data = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
            byte[] chunkHead = Encoding.ASCII.GetBytes((64 * 1024).ToString("x") + "\r\n");
            byte[] chunkTail = Encoding.ASCII.GetBytes("\r\n");
            for (long sent = 0; sent < (1L << 30); sent += data.Length)
            {
                await stream.WriteAsync(chunkHead, 0, chunkHead.Length, _stop.Token).ConfigureAwait(false);
                await stream.WriteAsync(data, 0, data.Length, _stop.Token).ConfigureAwait(false);
                await stream.WriteAsync(chunkTail, 0, chunkTail.Length, _stop.Token).ConfigureAwait(false);
                Interlocked.Add(ref _bodyBytesSent, data.Length);
            }
        }

        private async Task WriteAsync(Stream stream, RecordedRequest request, Reply reply)
        {
            var head = new StringBuilder();
            head.Append("HTTP/1.1 ").Append(reply.Status).Append(' ').Append(((HttpStatusCode)reply.Status).ToString()).Append("\r\n");
            foreach (var h in reply.Headers) head.Append(h.Key).Append(": ").Append(h.Value).Append("\r\n");
            long length = request.Method == "HEAD" && reply.HeadContentLength.HasValue ? reply.HeadContentLength.Value : reply.Body.Length;
            head.Append("Content-Length: ").Append(length).Append("\r\nConnection: close\r\n\r\n");
            byte[] headBytes = Encoding.ASCII.GetBytes(head.ToString());
            await stream.WriteAsync(headBytes, 0, headBytes.Length).ConfigureAwait(false);
            if (request.Method == "HEAD") return;
            int bytes = reply.DropAfterBytes.HasValue ? Math.Min(reply.DropAfterBytes.Value, reply.Body.Length) : reply.Body.Length;
            await stream.WriteAsync(reply.Body, 0, bytes).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
            Interlocked.Add(ref _bodyBytesSent, bytes);
        }

        private static async Task<RecordedRequest> ReadRequestAsync(Stream stream)
        {
            var buffer = new List<byte>();
            var one = new byte[1];
            while (true)
            {
                int read = await stream.ReadAsync(one, 0, 1).ConfigureAwait(false);
                if (read == 0) return null;
                buffer.Add(one[0]);
                int n = buffer.Count;
                if (n >= 4 && buffer[n - 4] == '\r' && buffer[n - 3] == '\n' && buffer[n - 2] == '\r' && buffer[n - 1] == '\n') break;
            }
            var lines = Encoding.ASCII.GetString(buffer.ToArray()).Split(new[] { "\r\n" }, StringSplitOptions.None);
            var first = lines[0].Split(' ');
            var headers = new List<KeyValuePair<string, string>>();
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
            {
                int colon = line.IndexOf(':');
                headers.Add(new KeyValuePair<string, string>(line.Substring(0, colon).Trim(), line.Substring(colon + 1).Trim()));
            }
            var request = new RecordedRequest(first[0], first[1], headers);
            string lengthHeader = request.Header("Content-Length");
            if (lengthHeader != null && int.TryParse(lengthHeader, out int length) && length > 0)
            {
                var body = new byte[length];
                int offset = 0;
                while (offset < length)
                {
                    int read = await stream.ReadAsync(body, offset, length - offset).ConfigureAwait(false);
                    if (read == 0) break;
                    offset += read;
                }
                request.Body = body;
            }
            return request;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _upstream.Dispose();
        }

        public sealed class Reply
        {
            public int Status { get; set; } = 200;
            public List<KeyValuePair<string, string>> Headers { get; set; } = new List<KeyValuePair<string, string>>();
            public byte[] Body { get; set; } = new byte[0];
            public TimeSpan Delay { get; set; }
            public Uri ForwardTo { get; set; }
            /// <summary>When forwarding, replace the client's Authorization with this one (a CDN with its own access).</summary>
            public string ForwardAuthorization { get; set; }
            public int? DropAfterBytes { get; set; }
            public long? HeadContentLength { get; set; }
            /// <summary>A 200 whose chunked body never ends (a hostile or broken registry).</summary>
            public bool EndlessChunkedBody { get; set; }

            public static Reply Forward(string authority) => new Reply { ForwardTo = new Uri("http://" + authority) };

            public static Reply WithStatus(int status, params (string Name, string Value)[] headers)
                => new Reply { Status = status, Headers = headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToList() };

            public Reply AddHeader(string name, string value)
            {
                Headers.Add(new KeyValuePair<string, string>(name, value));
                return this;
            }
        }
    }

    public sealed class RecordedRequest
    {
        public RecordedRequest(string method, string pathAndQuery, List<KeyValuePair<string, string>> headers)
        {
            Method = method;
            PathAndQuery = pathAndQuery;
            Headers = headers;
        }

        public string Method { get; }
        public string PathAndQuery { get; }
        public List<KeyValuePair<string, string>> Headers { get; }
        public byte[] Body { get; set; }

        public string Header(string name)
            => Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
    }
}
