using System;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.TestServers;

namespace DigestTools.Tests.Support
{
    /// <summary>
    /// A real engine (the suite's dockerd or Podman) behind the shared FaultServer on tcp: the client talks to the
    /// proxy, whose rules make the engine lose, delay or alter a reply; <see cref="Direct"/> asks the engine itself.
    /// </summary>
    internal sealed class EngineBehindProxy : IAsyncDisposable
    {
        private EngineBehindProxy(FaultServer proxy, EngineClient client, EngineClient direct)
        {
            Proxy = proxy;
            Client = client;
            Direct = direct;
        }

        public FaultServer Proxy { get; }

        /// <summary>Through the proxy, with the timeout under test.</summary>
        public EngineClient Client { get; }

        /// <summary>Straight to the engine's socket: the oracle for what the engine really holds.</summary>
        public EngineClient Direct { get; }

        public static async Task<EngineBehindProxy> StartAsync(string engineHost, TimeSpan timeout)
        {
            FaultServer proxy = FaultServer.Started(engineHost);
            var resolver = new EngineEndpointResolver();
            EngineClient client = await EngineClient.ConnectAsync(resolver.Resolve("tcp://" + proxy.Address), timeout, CancellationToken.None);
            EngineClient direct = await EngineClient.ConnectAsync(resolver.Resolve(engineHost), CancellationToken.None);
            return new EngineBehindProxy(proxy, client, direct);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            Direct.Dispose();
            await Proxy.DisposeAsync();
        }
    }
}
