using System.Text.Json;
using System.Text.RegularExpressions;

namespace DigestTools.TestServers;

/// <summary>
/// One fault to inject into responses whose method and path match. A rule with <see cref="Times"/>
/// applies to that many matching requests and then expires; without it, it applies until cleared.
/// </summary>
public sealed class FaultRule
{
    /// <summary>The actions a rule can take; see <see cref="Action"/>.</summary>
    public static readonly IReadOnlyList<string> Actions = new[]
    {
        "drop-header",     // remove response header Header
        "set-header",      // set response header Header to Value (e.g. a lying Docker-Content-Digest)
        "alter-body",      // change the body so its hash changes; Alter = flip-byte | append-whitespace | html
        "replace-text",    // replace every Find in the body by Value (an engine or registry that reports other bytes)
        "status",          // answer Status (with Retry-After = RetryAfter, body Body and reason phrase Reason, where "{authorization}" is the request's) without asking upstream
        "delay",           // wait DelayMs before answering
        "drop-connection", // send the headers and Bytes body bytes (default: half), then close the connection
        "redirect",        // answer Status (default 307) with Location (a "{path}" in it is replaced by the request path and query) and Body (default none)
        "endless-body",    // answer 200 (with header Header: Value) and a chunked body that never ends
        "trickle-body",    // answer 200 (with header Header: Value) and Body (Latin-1 bytes) Repeat times, one every DelayMs
    };

    /// <summary>
    /// A container engine refusing the request: <paramref name="status"/> with the Engine API's error body
    /// <c>{"message": ...}</c> (the message JSON-encoded), for any method when <paramref name="method"/> is null.
    /// </summary>
    public static FaultRule EngineError(string? method, string path, int status, string message) => new FaultRule
    {
        Method = method, Path = path, Action = "status", Status = status, Body = JsonSerializer.Serialize(new { message }),
    };

    private int _remaining;
    private int _hits;
    private Regex? _pathRegex;

    public string? Id { get; set; }

    /// <summary>HTTP method to match (any when null).</summary>
    public string? Method { get; set; }

    /// <summary>Regular expression matched against the request path and query (e.g. "/manifests/").</summary>
    public string Path { get; set; } = "";

    /// <summary>Only requests that carry this header match (e.g. Authorization: fault the authenticated retry only).</summary>
    public string? IfRequestHeader { get; set; }

    public string Action { get; set; } = "";
    public string? Header { get; set; }
    public string? Value { get; set; }
    public int? Status { get; set; }
    public string? RetryAfter { get; set; }

    /// <summary>The status line's reason phrase of a "status" answer; null: the standard one.</summary>
    public string? Reason { get; set; }
    public string? Body { get; set; }

    /// <summary>For status: a body of this many spaces instead of Body (a size limit test).</summary>
    public int? BodyLength { get; set; }
    public int? DelayMs { get; set; }
    public string? Location { get; set; }
    public string? Alter { get; set; }
    public string? Find { get; set; }
    public int? Bytes { get; set; }

    /// <summary>For trickle-body: how many times Body is sent, DelayMs apart.</summary>
    public int? Repeat { get; set; }

    /// <summary>How many matching requests the rule applies to; null = all.</summary>
    public int? Times { get; set; }

    /// <summary>How many requests the rule has been applied to.</summary>
    public int Hits => Volatile.Read(ref _hits);

    /// <summary>What is left of <see cref="Times"/>; null when unlimited.</summary>
    public int? Remaining => Times is null ? null : Volatile.Read(ref _remaining);

    /// <summary>Checks the rule and prepares it for matching; throws ArgumentException when invalid.</summary>
    public void Validate()
    {
        if (!Actions.Contains(Action)) throw new ArgumentException($"Unknown action '{Action}'. Known: {string.Join(", ", Actions)}.");
        if (string.IsNullOrEmpty(Path)) throw new ArgumentException("A rule needs a path pattern (use \".\" for every path).");
        _pathRegex = new Regex(Path, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        switch (Action)
        {
            case "drop-header" when string.IsNullOrEmpty(Header):
            case "set-header" when string.IsNullOrEmpty(Header) || Value is null:
                throw new ArgumentException($"Action {Action} needs header (and value for set-header).");
            case "status" when Status is null or < 100 or > 599:
                throw new ArgumentException("Action status needs a status between 100 and 599.");
            case "delay" when DelayMs is null or < 0:
                throw new ArgumentException("Action delay needs delayMs >= 0.");
            case "replace-text" when string.IsNullOrEmpty(Find) || Value is null:
                throw new ArgumentException("Action replace-text needs find and value.");
            case "redirect" when string.IsNullOrEmpty(Location) || Status is not (null or (>= 300 and < 400)):
                throw new ArgumentException("Action redirect needs a location (and a 3xx status when one is given).");
            case "trickle-body" when Body is null || Repeat is null or < 1 || DelayMs is null or < 0:
                throw new ArgumentException("Action trickle-body needs body, repeat >= 1 and delayMs >= 0.");
            case "alter-body" when Alter is not (null or "flip-byte" or "append-whitespace" or "html"):
                throw new ArgumentException("alter must be flip-byte, append-whitespace or html.");
        }
        if (Times is < 0) throw new ArgumentException("times must be >= 0.");
        _remaining = Times ?? 0;
    }

    /// <summary>True (and counts one use) when the rule applies to this request.</summary>
    internal bool TryApply(WireRequest request)
    {
        if (Method is not null && !string.Equals(Method, request.Method, StringComparison.OrdinalIgnoreCase)) return false;
        if (_pathRegex is null || !_pathRegex.IsMatch(request.Target)) return false;
        if (IfRequestHeader is not null && request.Header(IfRequestHeader) is null) return false;
        if (Times is not null)
        {
            // Claim one of the remaining uses without a lock: concurrent requests each get at most one.
            while (true)
            {
                var left = Volatile.Read(ref _remaining);
                if (left <= 0) return false;
                if (Interlocked.CompareExchange(ref _remaining, left - 1, left) == left) break;
            }
        }
        Interlocked.Increment(ref _hits);
        return true;
    }
}
