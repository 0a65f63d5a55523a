using System.Text;

namespace DigestTools.TestServers;

/// <summary>A response before it is written: the upstream's (or the server's own), open to faults.</summary>
public sealed class ResponseDraft
{
    public int Status { get; set; } = 200;

    /// <summary>The status line's reason phrase; null: the standard one for <see cref="Status"/>.</summary>
    public string? Reason { get; set; }

    /// <summary>Headers in upstream order; names compared case-insensitively.</summary>
    public List<KeyValuePair<string, string>> Headers { get; } = new();

    public byte[] Body { get; set; } = Array.Empty<byte>();

    /// <summary>For HEAD: the length the body would have, as the upstream announced it.</summary>
    public long? AnnouncedLength { get; set; }

    public void RemoveHeader(string name) => Headers.RemoveAll(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));

    public void SetHeader(string name, string value)
    {
        RemoveHeader(name);
        Headers.Add(new(name, value));
    }

    public static ResponseDraft Json(int status, string json) => new()
    {
        Status = status,
        Headers = { new("Content-Type", "application/json") },
        Body = Encoding.UTF8.GetBytes(json),
    };

    /// <summary>Changes the body so its sha256 changes: flip a byte in the middle or append a space; or replaces it by an HTML page.</summary>
    public void AlterBody(string? how)
    {
        if (how == "html")
        {
            // What a web server or proxy answers: the upstream acted, its reply is lost.
            SetHeader("Content-Type", "text/html");
            Body = Encoding.UTF8.GetBytes("<html><body><h1>502 Bad Gateway</h1></body></html>");
            return;
        }
        if (how == "append-whitespace" || Body.Length == 0)
        {
            Body = Body.Concat(new[] { (byte)' ' }).ToArray();
            return;
        }
        var copy = (byte[])Body.Clone();
        var i = copy.Length / 2;
        // Swapping a letter's case keeps JSON parseable, so only a hash check can notice.
        copy[i] = char.IsAsciiLetter((char)copy[i]) ? (byte)(copy[i] ^ 0x20) : (byte)(copy[i] ^ 0x01);
        Body = copy;
    }

    /// <summary>Replaces every occurrence of <paramref name="find"/> in the (UTF-8) body.</summary>
    public void ReplaceText(string find, string value)
        => Body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace(find, value, StringComparison.Ordinal));

    /// <summary>Writes the response; with dropAfter, only that many body bytes (the caller then closes). Returns the body bytes sent.</summary>
    internal async Task<int> WriteAsync(Stream stream, bool isHead, bool keepAlive, int? dropAfter, CancellationToken cancel)
    {
        var length = isHead ? AnnouncedLength ?? Body.Length : Body.Length;
        int? sent = dropAfter is int count ? Math.Clamp(count, 0, Math.Max(0, Body.Length - 1)) : null;
        await HttpWire.WriteResponseAsync(stream, Status, Reason, Headers, Body, length, !isHead, keepAlive && sent is null, sent, cancel);
        return isHead ? 0 : sent ?? Body.Length;
    }
}
