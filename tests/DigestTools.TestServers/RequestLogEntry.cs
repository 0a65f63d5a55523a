namespace DigestTools.TestServers;

/// <summary>
/// What a server saw of one request. Credentials are never recorded: only whether an Authorization
/// header was present and its scheme (Basic, Bearer), and of an engine pull's X-Registry-Auth only its
/// SHA-256, so a test can prove which exact value it searches the output for.
/// </summary>
public sealed class RequestLogEntry
{
    public long Sequence { get; init; }
    public DateTimeOffset Time { get; init; }
    public string Method { get; init; } = "";
    public string Path { get; init; } = "";
    public string? Host { get; init; }
    public bool HasAuthorization { get; init; }
    public string? AuthorizationScheme { get; init; }
    public string? Accept { get; init; }
    public string? ContentType { get; init; }
    public string? Range { get; init; }
    public string? UserAgent { get; init; }
    public string? RegistryAuthSha256 { get; init; }
    public long RequestBodyLength { get; set; }
    public int Status { get; set; }
    public IReadOnlyList<string> AppliedRules { get; set; } = Array.Empty<string>();
}
