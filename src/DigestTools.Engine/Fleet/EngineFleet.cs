using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Fleet
{
    /// <summary>
    /// Several engines used as one: connected concurrently, and the same work run on each concurrently. One
    /// engine failing (to connect, or at the work) is that engine's failure; the others go on.
    /// </summary>
    public sealed class EngineFleet : IDisposable
    {
        private EngineFleet(IReadOnlyList<FleetEngine> engines) => Engines = engines;

        /// <summary>Every engine, in the order given, connected or not.</summary>
        public IReadOnlyList<FleetEngine> Engines { get; }

        public IEnumerable<FleetEngine> Connected => Engines.Where(e => e.IsConnected);

        /// <summary>Connects to every endpoint at once; a failure is recorded on its engine, never thrown.</summary>
        /// <param name="timeout">Each engine's bound on a request, and on the silence of a streaming one (-TimeoutSec).</param>
        public static async Task<EngineFleet> ConnectAsync(IReadOnlyList<(string Address, EngineEndpoint Endpoint)> endpoints, TimeSpan timeout, CancellationToken cancellationToken)
        {
            FleetEngine[] engines = await Task.WhenAll(endpoints.Select(async e =>
            {
                try { return new FleetEngine(e.Address, await EngineClient.ConnectAsync(e.Endpoint, timeout, cancellationToken).ConfigureAwait(false), null); }
                catch (FailureException failure) { return new FleetEngine(e.Address, null, failure); }
            })).ConfigureAwait(false);
            return new EngineFleet(engines);
        }

        /// <summary>Runs <paramref name="work"/> on every connected engine at once; outcomes in the engines' order.</summary>
        public async Task<IReadOnlyList<FleetOutcome<T>>> OnEachAsync<T>(Func<FleetEngine, Task<T>> work)
        {
            return await Task.WhenAll(Connected.Select(async engine =>
            {
                try { return new FleetOutcome<T>(engine, await work(engine).ConfigureAwait(false), null); }
                catch (FailureException failure) { return new FleetOutcome<T>(engine, default(T), failure); }
            })).ConfigureAwait(false);
        }

        public void Dispose()
        {
            foreach (FleetEngine engine in Engines) engine.Client?.Dispose();
        }
    }
}
