using DigestTools.Engine.Workflow;

namespace DigestTools.Engine.Fleet
{
    /// <summary>A workflow log that names the engine, so messages and progress bars of concurrent engines stay apart.</summary>
    internal sealed class EngineLabelledLog : IWorkflowLog
    {
        private readonly IWorkflowLog _inner;
        private readonly string _engine;

        internal EngineLabelledLog(IWorkflowLog inner, string engine)
        {
            _inner = inner;
            _engine = engine;
        }

        public bool VerboseEnabled => _inner.VerboseEnabled;
        public void Verbose(string message) => _inner.Verbose($"[{_engine}] {message}");
        public void Warning(string message) => _inner.Warning($"[{_engine}] {message}");
        public IPullProgress BeginPull(string reference) => _inner.BeginPull($"{reference} on {_engine}");
    }
}
