using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace DigestTools.TestServers;

/// <summary>
/// An HTTP/1.1 server on 127.0.0.1 that either forwards to an upstream registry (proxy mode) or answers
/// every request itself with 200 (echo mode: the "other host" of redirect tests). Both apply the
/// fault rules and log requests; /__control/ configures them (see <see cref="ControlApi"/>).
/// </summary>
public sealed class FaultServer : IAsyncDisposable
{
    private TcpListener? _listener;
    private readonly HttpClient _upstreamClient;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ControlApi _control;
    private Task? _loop;

    /// <param name="upstream">host:port (or a URL) of the registry to forward to, or unix:///path of an engine
    /// socket (the proxy then stands in front of dockerd or Podman on tcp); null for echo mode.</param>
    /// <param name="port">the port to listen on; 0 picks a free one.</param>
    /// <param name="bindAddress">a loopback address; another one (127.0.0.2) is "another host" for redirect tests.</param>
    public FaultServer(string? upstream, int port = 0, string bindAddress = "127.0.0.1")
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        };
        if (upstream is not null && upstream.StartsWith("unix://", StringComparison.Ordinal))
        {
            var socketPath = upstream.Substring("unix://".Length);
            handler.ConnectCallback = async (_, cancel) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancel);
                return new NetworkStream(socket, ownsSocket: true);
            };
            upstream = "http://localhost";
        }
        Upstream = upstream is null ? null : new Uri(upstream.Contains("://") ? upstream : "http://" + upstream);
        Port = port;
        BindAddress = IPAddress.Parse(bindAddress);
        // The client must see the upstream's redirects, encodings and cookies exactly as sent. No timeout of its
        // own: an engine's wait answers when the container exits.
        _upstreamClient = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _control = new ControlApi(Rules, Log);
    }

    /// <summary>A started server forwarding to <paramref name="upstream"/> (null: echo mode); what in-process tests use.</summary>
    public static FaultServer Started(string? upstream, string bindAddress = "127.0.0.1")
    {
        var server = new FaultServer(upstream, 0, bindAddress);
        server.Start();
        return server;
    }

    public Uri? Upstream { get; }
    public IPAddress BindAddress { get; }
    public int Port { get; private set; }
    public FaultRuleSet Rules { get; } = new();
    public RequestLog Log { get; } = new();

    /// <summary>"127.0.0.1:port", what a registry reference uses as its host.</summary>
    public string Address => $"{BindAddress}:{Port}";

    /// <summary>Response body bytes written to clients (an endless body counts what the client let through).</summary>
    public long BodyBytesSent => Interlocked.Read(ref _bodyBytesSent);
    private long _bodyBytesSent;

    /// <summary>The requests received so far, oldest first.</summary>
    public IReadOnlyList<RequestLogEntry> Requests => Log.Snapshot();
    public Uri BaseUri => new($"http://{Address}");

    public void Start()
    {
        _listener = new TcpListener(BindAddress, Port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptLoopAsync);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener!.AcceptTcpClientAsync(_stopping.Token); }
            catch (Exception) when (_stopping.IsCancellationRequested) { return; }
            catch (SocketException) { continue; }
            _ = Task.Run(() => ServeConnectionAsync(client));
        }
    }

    /// <summary>Client connections open now: a client that gives a connection back keeps it open for the next request,
    /// and one that is disposed closes it.</summary>
    public int OpenConnections => Volatile.Read(ref _openConnections);
    private int _openConnections;

    /// <summary>Waits until no client connection is open (the server notices a close when it reads the end of the
    /// stream); <paramref name="hangGuard"/> only bounds the wait. Returns the count left open.</summary>
    public async Task<int> WhenNoConnectionIsOpenAsync(TimeSpan hangGuard)
    {
        for (var watch = Stopwatch.StartNew(); OpenConnections > 0 && watch.Elapsed < hangGuard;) await Task.Delay(50);
        return OpenConnections;
    }

    private async Task ServeConnectionAsync(TcpClient client)
    {
        Interlocked.Increment(ref _openConnections);
        try { await ServeOpenConnectionAsync(client); }
        finally { Interlocked.Decrement(ref _openConnections); }
    }

    private async Task ServeOpenConnectionAsync(TcpClient client)
    {
        using var _ = client;
        client.NoDelay = true;
        await using var stream = new BufferedStream(client.GetStream());
        var cancel = _stopping.Token;
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                var request = await HttpWire.ReadRequestAsync(stream, cancel);
                if (request is null) return;
                var keepAlive = !string.Equals(request.Header("Connection"), "close", StringComparison.OrdinalIgnoreCase);
                if (request.Target.StartsWith(ControlApi.Prefix, StringComparison.Ordinal))
                {
                    await _control.Handle(request).WriteAsync(stream, request.Method == "HEAD", keepAlive, null, cancel);
                }
                else if (!await ServeAsync(stream, request, keepAlive, cancel))
                {
                    return;   // a fault closed the connection on purpose
                }
                if (!keepAlive) return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or spoke nonsense: nothing to answer.
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"connection failed: {e}");
        }
    }

    /// <summary>Answers one request; false when a fault dropped the connection.</summary>
    private async Task<bool> ServeAsync(Stream stream, WireRequest request, bool keepAlive, CancellationToken cancel)
    {
        var authorization = request.Header("Authorization");
        var entry = new RequestLogEntry
        {
            Sequence = Log.NextSequence(),
            Time = DateTimeOffset.UtcNow,
            Method = request.Method,
            Path = request.Target,
            Host = request.Header("Host"),
            HasAuthorization = authorization is not null,
            AuthorizationScheme = authorization?.Split(' ', 2)[0],
            Accept = request.Header("Accept"),
            ContentType = request.Header("Content-Type"),
            Range = request.Header("Range"),
            UserAgent = request.Header("User-Agent"),
            RegistryAuthSha256 = request.Header("X-Registry-Auth") is { } registryAuth
                ? Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(registryAuth))).ToLowerInvariant()
                : null,
            RequestBodyLength = request.Body.Length,
        };
        Log.Add(entry);

        var rules = Rules.Take(request);
        entry.AppliedRules = rules.Select(r => r.Id!).ToArray();

        var delay = rules.Where(r => r.Action == "delay").Sum(r => r.DelayMs ?? 0);
        if (delay > 0) await Task.Delay(delay, cancel);

        var endless = rules.FirstOrDefault(r => r.Action == "endless-body");
        if (endless is not null)
        {
            entry.Status = 200;
            await WriteEndlessBodyAsync(stream, endless, cancel);
            return false;
        }

        var trickle = rules.FirstOrDefault(r => r.Action == "trickle-body");
        if (trickle is not null)
        {
            entry.Status = 200;
            await WriteTrickledBodyAsync(stream, trickle, cancel);
            return false;
        }

        ResponseDraft draft;
        try
        {
            draft = Answer(rules, request) ?? (Upstream is null ? Echo(entry) : await ForwardAsync(request, cancel));
        }
        catch (HttpRequestException e)
        {
            draft = ResponseDraft.Json(502, JsonSerializer.Serialize(new { error = $"upstream: {e.Message}" }));
        }
        foreach (var rule in rules)
        {
            switch (rule.Action)
            {
                case "drop-header": draft.RemoveHeader(rule.Header!); break;
                case "set-header": draft.SetHeader(rule.Header!, rule.Value!); break;
                case "replace-text":
                    draft.ReplaceText(rule.Find!, rule.Value!);
                    draft.AnnouncedLength = null;
                    break;
                case "alter-body":
                    draft.AlterBody(rule.Alter);
                    draft.AnnouncedLength = null;
                    break;
            }
        }
        var drop = rules.FirstOrDefault(r => r.Action == "drop-connection");
        entry.Status = draft.Status;
        var sent = await draft.WriteAsync(stream, request.Method == "HEAD", keepAlive, drop is null ? null : drop.Bytes ?? draft.Body.Length / 2, cancel);
        Interlocked.Add(ref _bodyBytesSent, sent);
        return drop is null;
    }

    /// <summary>A 200 whose chunked body never ends: until the client hangs up (or 1 GiB, a safety stop).</summary>
    private async Task WriteEndlessBodyAsync(Stream stream, FaultRule rule, CancellationToken cancel)
    {
        await WriteChunkedHeadAsync(stream, rule, cancel);
        var chunk = System.Text.Encoding.ASCII.GetBytes($"{64 * 1024:x}\r\n" + new string(' ', 64 * 1024) + "\r\n");
        for (long sent = 0; sent < (1L << 30); sent += 64 * 1024)
        {
            await stream.WriteAsync(chunk, cancel);
            await stream.FlushAsync(cancel);
            Interlocked.Add(ref _bodyBytesSent, 64 * 1024);
        }
    }

    // 200 with the rule's header (if any), a chunked body and the connection closed after it.
    private static async Task WriteChunkedHeadAsync(Stream stream, FaultRule rule, CancellationToken cancel)
    {
        var head = new System.Text.StringBuilder("HTTP/1.1 200 OK\r\n");
        if (rule.Header is not null) head.Append(rule.Header).Append(": ").Append(rule.Value).Append("\r\n");
        head.Append("Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head.ToString()), cancel);
    }

    // A slow but steady reply (a stream that keeps making progress): Body's bytes, Repeat times, DelayMs apart.
    private static async Task WriteTrickledBodyAsync(Stream stream, FaultRule rule, CancellationToken cancel)
    {
        await WriteChunkedHeadAsync(stream, rule, cancel);
        var piece = System.Text.Encoding.Latin1.GetBytes(rule.Body!);
        for (var i = 0; i < rule.Repeat; i++)
        {
            await Task.Delay(rule.DelayMs ?? 0, cancel);
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"{piece.Length:x}\r\n"), cancel);
            await stream.WriteAsync(piece, cancel);
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes("\r\n"), cancel);
            await stream.FlushAsync(cancel);
        }
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes("0\r\n\r\n"), cancel);
        await stream.FlushAsync(cancel);
    }

    /// <summary>A response decided by a rule alone (status, redirect), or null to go on.</summary>
    private static ResponseDraft? Answer(IReadOnlyList<FaultRule> rules, WireRequest request)
    {
        var pathAndQuery = request.Target;
        var rule = rules.FirstOrDefault(r => r.Action is "status" or "redirect");
        if (rule is null) return null;
        if (rule.Action == "redirect")
        {
            // A body, when given, makes the client read or dispose the redirect before its connection is free again.
            var redirect = new ResponseDraft { Status = rule.Status ?? 307, Body = System.Text.Encoding.UTF8.GetBytes(rule.Body ?? "") };
            redirect.SetHeader("Location", rule.Location!.Replace("{path}", pathAndQuery.TrimStart('/')));
            return redirect;
        }
        if (rule.BodyLength is int length) return new ResponseDraft { Status = rule.Status!.Value, Body = Enumerable.Repeat((byte)' ', length).ToArray() };
        var body = rule.Body ?? JsonSerializer.Serialize(new
        {
            errors = new[] { new { code = "INJECTED_FAULT", message = $"fault rule {rule.Id}", detail = (object?)null } },
        });
        // A careless registry quotes the credentials it was sent: "{authorization}" stands for them.
        string authorization = request.Header("Authorization") ?? "";
        var draft = ResponseDraft.Json(rule.Status!.Value, body.Replace("{authorization}", authorization));
        draft.Reason = rule.Reason?.Replace("{authorization}", authorization);
        if (rule.RetryAfter is not null) draft.SetHeader("Retry-After", rule.RetryAfter);
        return draft;
    }

    private static ResponseDraft Echo(RequestLogEntry entry) =>
        ResponseDraft.Json(200, JsonSerializer.Serialize(new { entry.Method, entry.Path, entry.HasAuthorization }));

    private async Task<ResponseDraft> ForwardAsync(WireRequest request, CancellationToken cancel)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(Upstream!, request.Target));
        if (request.Body.Length > 0 || request.Header("Content-Length") is not null) message.Content = new ByteArrayContent(request.Body);
        foreach (var group in request.Headers.GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (HttpWire.IsHopByHop(group.Key) || string.Equals(group.Key, "Host", StringComparison.OrdinalIgnoreCase)) continue;
            var values = group.Select(h => h.Value).ToArray();
            if (!message.Headers.TryAddWithoutValidation(group.Key, values)) message.Content?.Headers.TryAddWithoutValidation(group.Key, values);
        }
        // The registry builds Location URLs from Host: keep ours so uploads continue through the proxy.
        message.Headers.Host = request.Header("Host");
        using var response = await _upstreamClient.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancel);
        var draft = new ResponseDraft
        {
            Status = (int)response.StatusCode,
            Body = await response.Content.ReadAsByteArrayAsync(cancel),
            AnnouncedLength = response.Content.Headers.ContentLength,
        };
        foreach (var header in response.Headers.Concat(response.Content.Headers))
            foreach (var value in header.Value) draft.Headers.Add(new(header.Key, value));
        return draft;
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener?.Stop();
        if (_loop is not null) await _loop.ConfigureAwait(false);
        _upstreamClient.Dispose();
        _stopping.Dispose();
    }
}
