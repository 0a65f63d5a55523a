using System.Collections.Concurrent;

namespace DigestTools.TestServers;

/// <summary>Requests a server received, oldest first.</summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<RequestLogEntry> _entries = new();
    private long _sequence;

    public long NextSequence() => Interlocked.Increment(ref _sequence);

    public void Add(RequestLogEntry entry) => _entries.Enqueue(entry);

    public IReadOnlyList<RequestLogEntry> Snapshot() => _entries.OrderBy(e => e.Sequence).ToArray();

    public void Clear() => _entries.Clear();
}
