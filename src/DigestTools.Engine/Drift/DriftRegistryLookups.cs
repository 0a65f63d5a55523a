using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Workflow;

namespace DigestTools.Engine.Drift
{
    /// <summary>
    /// The registry questions drift asks, each asked once per call: "what does name:tag name now?" per distinct
    /// reference and platform, "does name@digest still resolve?" per distinct digest and platform. Bounded
    /// overall and per registry like every registry workflow (<see cref="RegistryRequestGates"/>). Thread-safe.
    /// </summary>
    public sealed class DriftRegistryLookups : IDisposable
    {
        private readonly RegistryClient _client;
        private readonly ManifestPresenceCheck _presence;
        private readonly RegistryRequestGates _gates;
        private readonly IWorkflowLog _log;
        private readonly ConcurrentDictionary<string, Lazy<Task<ManifestResolution>>> _tags = new ConcurrentDictionary<string, Lazy<Task<ManifestResolution>>>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, Lazy<Task<ManifestPresence>>> _digests = new ConcurrentDictionary<string, Lazy<Task<ManifestPresence>>>(StringComparer.Ordinal);

        public DriftRegistryLookups(RegistryClientOptions options, int throttleLimit, IWorkflowLog log)
        {
            _client = new RegistryClient(options);
            _presence = new ManifestPresenceCheck(_client);
            _gates = new RegistryRequestGates(throttleLimit);
            _log = log;
        }

        /// <summary>Distinct tag resolutions asked so far.</summary>
        public int TagLookups => _tags.Count;

        /// <summary>Distinct digest presence checks asked so far.</summary>
        public int DigestLookups => _digests.Count;

        public Task<ManifestResolution> CurrentAsync(string registry, string repository, string tag, string platform, CancellationToken cancellationToken)
        {
            string key = registry + "/" + repository + ":" + tag + "|" + platform;
            return _tags.GetOrAdd(key, _ => new Lazy<Task<ManifestResolution>>(() => _gates.RunAsync(registry, () =>
            {
                if (_log.VerboseEnabled) _log.Verbose($"Asking {registry} what {repository}:{tag} names now" + (platform == null ? "." : $" (platform {platform})."));
                return _client.ResolveAsync(new ManifestQuery { Registry = registry, Repository = repository, Tag = tag, Platform = platform }, cancellationToken);
            }, cancellationToken))).Value;
        }

        public Task<ManifestPresence> PresenceAsync(string registry, string repository, string digest, string platform, CancellationToken cancellationToken)
        {
            string key = registry + "/" + repository + "@" + digest + "|" + platform;
            return _digests.GetOrAdd(key, _ => new Lazy<Task<ManifestPresence>>(() => _gates.RunAsync(registry, () =>
            {
                if (_log.VerboseEnabled) _log.Verbose($"Asking {registry} whether {repository}@{digest} still resolves" + (platform == null ? "." : $" (platform {platform})."));
                return _presence.CheckAsync(new ManifestQuery { Registry = registry, Repository = repository, Digest = digest, Platform = platform }, cancellationToken);
            }, cancellationToken))).Value;
        }

        public void Dispose()
        {
            _client.Dispose();
            _gates.Dispose();
        }
    }
}
