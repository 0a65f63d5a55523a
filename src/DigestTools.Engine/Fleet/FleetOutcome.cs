using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Fleet
{
    /// <summary>What one engine of a fleet made of the same work: a result, or its own failure.</summary>
    public sealed class FleetOutcome<T>
    {
        internal FleetOutcome(FleetEngine engine, T result, FailureException failure)
        {
            Engine = engine;
            Result = result;
            Failure = failure;
        }

        public FleetEngine Engine { get; }
        public T Result { get; }
        public FailureException Failure { get; }
    }
}
