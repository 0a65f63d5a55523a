using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Registry
{
    /// <summary>
    /// A v2 registry client: one HttpClient and connection pool for every request of a cmdlet call.
    /// Thread-safe: many resolutions may run at once.
    /// </summary>
    public sealed class RegistryClient : IDisposable
    {
        private readonly RegistryClientOptions _options;
        private readonly CancellationTokenSource _lifetime = new CancellationTokenSource();
        private readonly RegistryTransport _transport;
        private readonly RegistryVersionCheck _versionCheck;
        private readonly ManifestResolver _resolver;
        private readonly ConcurrentDictionary<string, RegistryEndpoint> _endpoints = new ConcurrentDictionary<string, RegistryEndpoint>(StringComparer.OrdinalIgnoreCase);

        public RegistryClient(RegistryClientOptions options)
        {
            _options = options ?? new RegistryClientOptions();
            ILogger log = new CallbackLogger(_options.Log);
            _transport = new RegistryTransport(RegistryHttpPipeline.Create(_options), log);
            _versionCheck = new RegistryVersionCheck(_transport, _lifetime.Token);
            _resolver = new ManifestResolver(_transport, _lifetime.Token);
        }

        /// <summary>Resolves a tag to its digest (HEAD, GET fallback), or checks that a digest exists.</summary>
        /// <exception cref="FailureException">With ErrorId ManifestUnknown, DigestMismatch, SchemaV1Unsupported, ...</exception>
        public async Task<ManifestResolution> ResolveAsync(ManifestQuery query, CancellationToken cancellationToken)
        {
            if (query == null) throw new ArgumentNullException(nameof(query));
            if (string.IsNullOrWhiteSpace(query.Registry) || string.IsNullOrWhiteSpace(query.Repository))
                throw new FailureException(ErrorCatalog.InvalidReference, "A registry and a repository are required.");
            if (query.Digest != null && !ManifestDigest.IsWellFormed(query.Digest))
                throw new FailureException(ErrorCatalog.InvalidReference, $"{query.Registry}/{query.Repository}@{query.Digest}: the digest is not a well-formed sha256, sha384 or sha512 digest.");
            if (!string.IsNullOrWhiteSpace(query.Platform) && !PlatformSelector.TryParse(query.Platform, out _, out _, out _))
                throw new FailureException(ErrorCatalog.InvalidPlatform, $"'{query.Platform}' is not a platform of the form os/arch[/variant].");

            RegistryEndpoint endpoint = _endpoints.GetOrAdd(query.Registry, r => RegistryEndpoint.For(r, _options.InsecureRegistries));
            await _versionCheck.EnsureAsync(endpoint, cancellationToken).ConfigureAwait(false);
            return await _resolver.ResolveAsync(endpoint, query, cancellationToken).ConfigureAwait(false);
        }

        public void Dispose()
        {
            _lifetime.Cancel();
            _transport.Dispose();
            _lifetime.Dispose();
        }
    }
}
