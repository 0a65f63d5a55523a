using System;
using System.Threading;
using System.Threading.Tasks;

namespace DigestTools.Engine.Registry
{
    // CONTRACT STUB: the registry-client work replaces the bodies; the public surface stays.
    /// <summary>
    /// A v2 registry client: one HttpClient and connection pool for every request of a cmdlet call.
    /// Thread-safe: many resolutions may run at once.
    /// </summary>
    public sealed class RegistryClient : IDisposable
    {
        public RegistryClient(RegistryClientOptions options) { }

        /// <summary>Resolves a tag to its digest (HEAD, GET fallback), or checks that a digest exists.</summary>
        /// <exception cref="RegistryException">With ErrorId ManifestUnknown, DigestMismatch, SchemaV1Unsupported, ...</exception>
        public Task<ManifestResolution> ResolveAsync(ManifestQuery query, CancellationToken cancellationToken)
            => throw new NotImplementedException();

        public void Dispose() { }
    }
}
