using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Registry;

namespace DigestTools.Drift
{
    /// <summary>
    /// The registry questions drift asks, each asked once per call: "what does name:tag name now?" per distinct
    /// reference and platform, "does name@digest still resolve?" per distinct digest and platform. Bounded
    /// overall and per registry, like Get-ImageDigest.
    /// </summary>
    internal sealed class DriftRegistryLookups : IDisposable
    {
        internal const int PerRegistryLimit = 8;

        private readonly RegistryClient _client;
        private readonly ManifestPresenceCheck _presence;
        private readonly Action<string> _log;
        private readonly SemaphoreSlim _overall;
        private readonly ConcurrentDictionary<string, SemaphoreSlim> _perRegistry = new ConcurrentDictionary<string, SemaphoreSlim>(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentDictionary<string, Lazy<Task<ManifestResolution>>> _tags = new ConcurrentDictionary<string, Lazy<Task<ManifestResolution>>>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, Lazy<Task<ManifestPresence>>> _digests = new ConcurrentDictionary<string, Lazy<Task<ManifestPresence>>>(StringComparer.Ordinal);
        private readonly int _throttle;

        internal DriftRegistryLookups(RegistryClient client, int throttleLimit, Action<string> log)
        {
            _client = client;
            _presence = new ManifestPresenceCheck(client);
            _throttle = throttleLimit;
            _overall = new SemaphoreSlim(throttleLimit);
            _log = log;
        }

        /// <summary>Distinct tag resolutions asked so far.</summary>
        internal int TagLookups => _tags.Count;

        /// <summary>Distinct digest presence checks asked so far.</summary>
        internal int DigestLookups => _digests.Count;

        internal Task<ManifestResolution> CurrentAsync(string registry, string repository, string tag, string platform, CancellationToken cancellationToken)
        {
            string key = registry + "/" + repository + ":" + tag + "|" + platform;
            return _tags.GetOrAdd(key, _ => new Lazy<Task<ManifestResolution>>(() => Gated(registry, async () =>
            {
                _log?.Invoke($"Asking {registry} what {repository}:{tag} names now" + (platform == null ? "." : $" (platform {platform})."));
                return await _client.ResolveAsync(new ManifestQuery { Registry = registry, Repository = repository, Tag = tag, Platform = platform }, cancellationToken).ConfigureAwait(false);
            }, cancellationToken))).Value;
        }

        internal Task<ManifestPresence> PresenceAsync(string registry, string repository, string digest, string platform, CancellationToken cancellationToken)
        {
            string key = registry + "/" + repository + "@" + digest + "|" + platform;
            return _digests.GetOrAdd(key, _ => new Lazy<Task<ManifestPresence>>(() => Gated(registry, async () =>
            {
                _log?.Invoke($"Asking {registry} whether {repository}@{digest} still resolves" + (platform == null ? "." : $" (platform {platform})."));
                return await _presence.CheckAsync(new ManifestQuery { Registry = registry, Repository = repository, Digest = digest, Platform = platform }, cancellationToken).ConfigureAwait(false);
            }, cancellationToken))).Value;
        }

        // Per registry first, then overall: a request queued behind a busy registry holds no overall slot.
        private async Task<T> Gated<T>(string registry, Func<Task<T>> request, CancellationToken cancellationToken)
        {
            SemaphoreSlim gate = _perRegistry.GetOrAdd(registry, _ => new SemaphoreSlim(Math.Min(PerRegistryLimit, _throttle)));
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _overall.WaitAsync(cancellationToken).ConfigureAwait(false);
                try { return await request().ConfigureAwait(false); }
                finally { _overall.Release(); }
            }
            finally { gate.Release(); }
        }

        public void Dispose()
        {
            _overall.Dispose();
            foreach (SemaphoreSlim gate in _perRegistry.Values) gate.Dispose();
        }
    }
}
