using System.Management.Automation;
using DigestTools.Engine.Fleet;

namespace DigestTools
{
    /// <summary>The error of one engine of a fleet: its own ErrorId, the message naming the engine, the engine as target.</summary>
    internal static class FleetErrors
    {
        internal static ErrorRecord For<T>(FleetOutcome<T> outcome)
            => ErrorRecords.For(outcome.Failure.Kind, $"Engine {outcome.Engine.Address}: {outcome.Failure.Message}", outcome.Engine.Address, outcome.Failure);
    }
}
