using System.Text;

namespace DigestTools.TestServers;

/// <summary>An HTTP/1.1 request as received, headers in order and repeated headers kept apart.</summary>
public sealed class WireRequest
{
    public string Method { get; init; } = "";
    public string Target { get; init; } = "/";
    public List<KeyValuePair<string, string>> Headers { get; } = new();
    public byte[] Body { get; set; } = Array.Empty<byte>();

    /// <summary>All values of a header joined with ", " (as HTTP allows), or null.</summary>
    public string? Header(string name)
    {
        var values = Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToArray();
        return values.Length == 0 ? null : string.Join(", ", values);
    }

    public string Path => Target.Split('?', 2)[0];
}

/// <summary>
/// The HTTP/1.1 wire format, by hand: HttpListener merges or drops repeated request headers (Go
/// clients send one Accept line per media type) and cannot cut a body short on purpose.
/// </summary>
public static class HttpWire
{
    private const int MaxLine = 64 * 1024;

    /// <summary>Reads one request; null when the client closed the connection between requests.</summary>
    public static async Task<WireRequest?> ReadRequestAsync(Stream stream, CancellationToken cancel)
    {
        var requestLine = await ReadLineAsync(stream, cancel);
        if (requestLine is null) return null;
        if (requestLine.Length == 0) requestLine = await ReadLineAsync(stream, cancel);   // tolerate a stray CRLF
        if (requestLine is null) return null;
        var parts = requestLine.Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal)) throw new InvalidDataException($"Bad request line '{requestLine}'.");
        var request = new WireRequest { Method = parts[0], Target = parts[1] };
        while (true)
        {
            var line = await ReadLineAsync(stream, cancel) ?? throw new EndOfStreamException("Connection closed inside the headers.");
            if (line.Length == 0) break;
            var colon = line.IndexOf(':');
            if (colon <= 0) throw new InvalidDataException($"Bad header line '{line}'.");
            request.Headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
        if (string.Equals(request.Header("Expect"), "100-continue", StringComparison.OrdinalIgnoreCase))
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 100 Continue\r\n\r\n"), cancel);
        }
        if (request.Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
            request.Body = await ReadChunkedAsync(stream, cancel);
        else if (long.TryParse(request.Header("Content-Length"), out var length) && length > 0)
            request.Body = await ReadExactlyAsync(stream, checked((int)length), cancel);
        return request;
    }

    /// <summary>Writes status line, headers and Content-Length; then the first bodyBytes of body (all when null).</summary>
    public static async Task WriteResponseAsync(Stream stream, int status, string? reason, IEnumerable<KeyValuePair<string, string>> headers,
        byte[] body, long contentLength, bool writeBody, bool keepAlive, int? bodyBytes, CancellationToken cancel)
    {
        var head = new StringBuilder();
        head.Append("HTTP/1.1 ").Append(status).Append(' ').Append(reason ?? ReasonPhrase(status)).Append("\r\n");
        foreach (var (name, value) in headers)
        {
            if (IsHopByHop(name)) continue;
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }
        if (status is not (204 or 304) && status >= 200) head.Append("Content-Length: ").Append(contentLength).Append("\r\n");
        head.Append("Connection: ").Append(keepAlive ? "keep-alive" : "close").Append("\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancel);
        if (writeBody) await stream.WriteAsync(body.AsMemory(0, Math.Min(body.Length, bodyBytes ?? body.Length)), cancel);
        await stream.FlushAsync(cancel);
    }

    /// <summary>Headers that describe one connection or the framing; never forwarded as they are.</summary>
    public static bool IsHopByHop(string name) => name.ToLowerInvariant() is
        "connection" or "keep-alive" or "transfer-encoding" or "te" or "trailer" or "upgrade" or "proxy-connection" or "content-length" or "expect";

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK", 201 => "Created", 202 => "Accepted", 204 => "No Content", 206 => "Partial Content",
        301 => "Moved Permanently", 302 => "Found", 303 => "See Other", 304 => "Not Modified", 307 => "Temporary Redirect", 308 => "Permanent Redirect",
        400 => "Bad Request", 401 => "Unauthorized", 403 => "Forbidden", 404 => "Not Found", 405 => "Method Not Allowed",
        416 => "Range Not Satisfiable", 429 => "Too Many Requests",
        500 => "Internal Server Error", 502 => "Bad Gateway", 503 => "Service Unavailable", 504 => "Gateway Timeout",
        _ => "Status",
    };

    private static async Task<string?> ReadLineAsync(Stream stream, CancellationToken cancel)
    {
        var bytes = new List<byte>(128);
        var one = new byte[1];
        while (true)
        {
            var read = await stream.ReadAsync(one, cancel);
            if (read == 0) return bytes.Count == 0 ? null : throw new EndOfStreamException("Connection closed inside a line.");
            if (one[0] == '\n')
            {
                if (bytes.Count > 0 && bytes[^1] == '\r') bytes.RemoveAt(bytes.Count - 1);
                return Encoding.Latin1.GetString(bytes.ToArray());
            }
            bytes.Add(one[0]);
            if (bytes.Count > MaxLine) throw new InvalidDataException("Line too long.");
        }
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int count, CancellationToken cancel)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, cancel);
        return buffer;
    }

    private static async Task<byte[]> ReadChunkedAsync(Stream stream, CancellationToken cancel)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var sizeLine = await ReadLineAsync(stream, cancel) ?? throw new EndOfStreamException("Connection closed inside a chunked body.");
            var size = Convert.ToInt32(sizeLine.Split(';', 2)[0].Trim(), 16);
            if (size == 0)
            {
                // Trailers (ignored) end with an empty line.
                while (!string.IsNullOrEmpty(await ReadLineAsync(stream, cancel))) { }
                return body.ToArray();
            }
            body.Write(await ReadExactlyAsync(stream, size, cancel));
            await ReadLineAsync(stream, cancel);
        }
    }
}
