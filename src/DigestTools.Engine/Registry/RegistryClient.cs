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
            ILogger log = new CallbackLogger(_options.RedactedLog);
            _transport = new RegistryTransport(RegistryHandlerChain.Create(_options), log);
            _versionCheck = new RegistryVersionCheck(_transport, _lifetime.Token);
            _resolver = new ManifestResolver(_transport, _lifetime.Token, _options.Secrets);
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
            // One deadline per reference: its requests, retries, backoff and Retry-After waits all end within it.
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                TimeSpan timeout = _options.RequestTimeout;
                if (timeout > TimeSpan.Zero) deadline.CancelAfter(timeout);
                try
                {
                    await _versionCheck.EnsureAsync(endpoint, deadline.Token).ConfigureAwait(false);
                    return await _resolver.ResolveAsync(endpoint, query, deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new FailureException(ErrorCatalog.RegistryTimeout,
                        $"{query.Display} was not resolved within "
                        + $"{timeout.TotalSeconds:0.###} s (-TimeoutSec bounds each reference, retries and waits included).");
                }
                catch (FailureException e) when (_options.Secrets.Reveals(e.Message))
                {
                    // A registry may echo the request's Authorization header in its error text.
                    throw _options.Secrets.Redact(e);
                }
            }
        }

        public void Dispose()
        {
            _lifetime.Cancel();
            _transport.Dispose();
            _lifetime.Dispose();
        }
    }
}
