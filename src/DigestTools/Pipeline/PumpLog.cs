using DigestTools.Engine.Workflow;

namespace DigestTools
{
    /// <summary>A workflow's log as the pipeline sees it: verbose, warning and progress records through the pump.</summary>
    internal sealed class PumpLog : IWorkflowLog
    {
        private readonly PipelinePump _pump;

        internal PumpLog(PipelinePump pump, bool verboseEnabled)
        {
            _pump = pump;
            VerboseEnabled = verboseEnabled;
        }

        public bool VerboseEnabled { get; }

        public void Verbose(string message)
        {
            if (VerboseEnabled) _pump.Verbose(message);
        }

        public void Warning(string message) => _pump.Warning(message);

        public IPullProgress BeginPull(string reference) => new PullProgressWriter(_pump, reference);
    }
}
