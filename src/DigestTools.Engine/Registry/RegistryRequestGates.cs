using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace DigestTools.Engine.Registry
{
    /// <summary>
    /// Bounds concurrent registry requests: at most a throttle limit overall and <see cref="PerRegistryLimit"/>
    /// per registry. Thread-safe. Shared by every workflow that asks a registry many things at once.
    /// </summary>
    public sealed class RegistryRequestGates : IDisposable
    {
        /// <summary>Simultaneous requests to one registry, whatever the throttle limit says: be a polite client.</summary>
        public const int PerRegistryLimit = 8;

        private readonly int _throttleLimit;
        private readonly SemaphoreSlim _overall;
        private readonly ConcurrentDictionary<string, SemaphoreSlim> _perRegistry = new ConcurrentDictionary<string, SemaphoreSlim>(StringComparer.OrdinalIgnoreCase);

        public RegistryRequestGates(int throttleLimit)
        {
            _throttleLimit = throttleLimit;
            _overall = new SemaphoreSlim(throttleLimit);
        }

        /// <summary>Runs <paramref name="request"/> once both gates let it through.</summary>
        public async Task<T> RunAsync<T>(string registry, Func<Task<T>> request, CancellationToken cancellationToken)
        {
            // Per registry first, then overall: a request queued behind a busy registry holds no overall slot.
            SemaphoreSlim registryGate = _perRegistry.GetOrAdd(registry, _ => new SemaphoreSlim(Math.Min(PerRegistryLimit, _throttleLimit)));
            await registryGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _overall.WaitAsync(cancellationToken).ConfigureAwait(false);
                try { return await request().ConfigureAwait(false); }
                finally { _overall.Release(); }
            }
            finally { registryGate.Release(); }
        }

        public void Dispose()
        {
            _overall.Dispose();
            foreach (SemaphoreSlim gate in _perRegistry.Values) gate.Dispose();
        }
    }
}
