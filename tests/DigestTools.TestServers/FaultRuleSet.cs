namespace DigestTools.TestServers;

/// <summary>The rules a server currently applies, in the order they were added.</summary>
public sealed class FaultRuleSet
{
    private readonly object _gate = new();
    private readonly List<FaultRule> _rules = new();
    private int _nextId;

    /// <summary>Validates and adds a rule; gives it an id when it has none.</summary>
    public FaultRule Add(FaultRule rule)
    {
        rule.Validate();
        lock (_gate)
        {
            rule.Id ??= $"rule-{++_nextId}";
            if (_rules.Any(r => r.Id == rule.Id)) throw new ArgumentException($"A rule with id '{rule.Id}' exists already.");
            _rules.Add(rule);
        }
        return rule;
    }

    public bool Remove(string id)
    {
        lock (_gate) return _rules.RemoveAll(r => r.Id == id) > 0;
    }

    public void Clear()
    {
        lock (_gate) _rules.Clear();
    }

    public IReadOnlyList<FaultRule> Snapshot()
    {
        lock (_gate) return _rules.ToArray();
    }

    /// <summary>The rules that apply to this request, each counting one use.</summary>
    public IReadOnlyList<FaultRule> Take(WireRequest request) =>
        Snapshot().Where(r => r.TryApply(request)).ToArray();
}
