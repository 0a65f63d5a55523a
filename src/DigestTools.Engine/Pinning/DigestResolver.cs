using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Workflow;

namespace DigestTools.Engine.Pinning
{
    /// <summary>
    /// Resolves many references to digests at the registry (HEAD, no pull), concurrently: at most
    /// ThrottleLimit requests overall and <see cref="PerRegistryLimit"/> per registry. Each distinct
    /// reference and platform is resolved once per resolver; repeats share the task (and agree).
    /// Results come back as tasks, so the caller decides the order it reports them in.
    /// </summary>
    public sealed class DigestResolver : IDisposable
    {
        /// <summary>Simultaneous requests to one registry, whatever the throttle limit says: be a polite client.</summary>
        public const int PerRegistryLimit = RegistryRequestGates.PerRegistryLimit;

        private readonly RegistryClient _client;
        private readonly IWorkflowLog _log;
        private readonly RegistryRequestGates _gates;
        private readonly Dictionary<string, Task<ManifestResolution>> _resolutions = new Dictionary<string, Task<ManifestResolution>>(StringComparer.Ordinal);

        public DigestResolver(RegistryClientOptions options, int throttleLimit, IWorkflowLog log)
        {
            _client = new RegistryClient(options);
            _log = log;
            _gates = new RegistryRequestGates(throttleLimit);
        }

        /// <summary>The tag a reference is resolved by: its own, "latest" when it has neither tag nor digest, else none.</summary>
        public static string TagToResolve(ParsedReference reference) => reference.Digest == null ? reference.TagOrLatest : reference.Tag;

        /// <summary>Starts (or joins) the resolution of one reference; call from one thread at a time.</summary>
        public Task<ManifestResolution> Resolve(ParsedReference reference, string platform, CancellationToken cancellationToken)
        {
            string key = reference.Name + "|" + (reference.Digest ?? TagToResolve(reference)) + "|" + platform;
            if (!_resolutions.TryGetValue(key, out Task<ManifestResolution> resolution))
            {
                resolution = Task.Run(() => ResolveAsync(reference, platform, cancellationToken));
                _resolutions.Add(key, resolution);
            }
            return resolution;
        }

        private Task<ManifestResolution> ResolveAsync(ParsedReference reference, string platform, CancellationToken cancellationToken)
            => _gates.RunAsync(reference.Registry, async () =>
            {
                string tag = TagToResolve(reference);
                if (_log.VerboseEnabled) _log.Verbose(reference.Digest == null
                    ? $"Asking {reference.Registry} for the digest of {reference.Name}:{tag}" + (platform == null ? "." : $" (platform {platform}).")
                    : $"Asking {reference.Registry} whether {reference.Name}@{reference.Digest} exists.");
                ManifestResolution resolution = await _client.ResolveAsync(new ManifestQuery
                {
                    Registry = reference.Registry,
                    Repository = reference.Repository,
                    Tag = tag,
                    Digest = reference.Digest,
                    Platform = platform,
                }, cancellationToken).ConfigureAwait(false);
                if (_log.VerboseEnabled) _log.Verbose($"{reference}: {resolution.Digest}" + (resolution.Platform == null ? string.Empty : $" ({resolution.Platform}: {resolution.PlatformDigest})"));
                return resolution;
            }, cancellationToken);

        public void Dispose()
        {
            _client.Dispose();
            _gates.Dispose();
        }
    }
}
