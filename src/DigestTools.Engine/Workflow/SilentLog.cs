using DigestTools.Engine.Docker;

namespace DigestTools.Engine.Workflow
{
    /// <summary>A log that drops everything: for callers (and tests) that want no messages.</summary>
    public sealed class SilentLog : IWorkflowLog, IPullProgress
    {
        public static readonly SilentLog Instance = new SilentLog();

        private SilentLog() { }

        public bool VerboseEnabled => false;
        public void Verbose(string message) { }
        public void Warning(string message) { }
        public IPullProgress BeginPull(string reference) => this;
        public void Report(ImagePullProgress message) { }
        public void Dispose() { }
    }
}
