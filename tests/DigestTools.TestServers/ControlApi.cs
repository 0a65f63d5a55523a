using System.Text;
using System.Text.Json;

namespace DigestTools.TestServers;

/// <summary>
/// The JSON control API under /__control/:
///   GET    /__control/health          200 "ok"
///   GET    /__control/rules           the rules with their hit counts
///   POST   /__control/rules           add one rule (object) or several (array); answers them with ids
///   DELETE /__control/rules[/{id}]    remove all rules, or one
///   GET    /__control/requests        the request log
///   DELETE /__control/requests        clear the request log
/// </summary>
public sealed class ControlApi
{
    public const string Prefix = "/__control/";

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    private readonly FaultRuleSet _rules;
    private readonly RequestLog _log;

    public ControlApi(FaultRuleSet rules, RequestLog log)
    {
        _rules = rules;
        _log = log;
    }

    public ResponseDraft Handle(WireRequest request)
    {
        var path = request.Path.Substring(Prefix.Length).TrimEnd('/');
        var (status, payload) = (request.Method, path) switch
        {
            ("GET", "health") => (200, (object)"ok"),
            ("GET", "rules") => (200, _rules.Snapshot()),
            ("POST", "rules") => AddRules(request),
            ("DELETE", "rules") => Clear(_rules.Clear),
            ("DELETE", var p) when p.StartsWith("rules/", StringComparison.Ordinal) =>
                _rules.Remove(p.Substring("rules/".Length)) ? (200, new { removed = true }) : (404, new { error = "no such rule" }),
            ("GET", "requests") => (200, _log.Snapshot()),
            ("DELETE", "requests") => Clear(_log.Clear),
            _ => (404, new { error = $"unknown control request {request.Method} {path}" }),
        };
        return ResponseDraft.Json(status, JsonSerializer.Serialize(payload, JsonOptions));
    }

    private static (int, object) Clear(Action clear)
    {
        clear();
        return (200, new { cleared = true });
    }

    private (int, object) AddRules(WireRequest request)
    {
        var text = Encoding.UTF8.GetString(request.Body);
        try
        {
            var rules = text.TrimStart().StartsWith('[')
                ? JsonSerializer.Deserialize<FaultRule[]>(text, JsonOptions) ?? Array.Empty<FaultRule>()
                : new[] { JsonSerializer.Deserialize<FaultRule>(text, JsonOptions) ?? throw new JsonException("Empty rule.") };
            // All or nothing: validate every rule before adding any.
            foreach (var rule in rules) rule.Validate();
            return (200, rules.Select(_rules.Add).ToArray());
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return (400, new { error = e.Message });
        }
    }
}
