using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Fleet
{
    /// <summary>One engine of a fleet: connected (Client), or not (Failure, e.g. EngineUnreachable).</summary>
    public sealed class FleetEngine
    {
        internal FleetEngine(string address, EngineClient client, FailureException failure)
        {
            Address = address;
            Client = client;
            Failure = failure;
        }

        /// <summary>The address as the caller gave it.</summary>
        public string Address { get; }

        public EngineClient Client { get; }
        public FailureException Failure { get; }
        public bool IsConnected => Client != null;
    }
}
