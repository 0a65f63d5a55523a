using System.Collections.Concurrent;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Workflow;

namespace DigestTools.Tests.Pinning
{
    /// <summary>An IWorkflowLog that keeps what a workflow reported, for assertions.</summary>
    internal sealed class RecordingLog : IWorkflowLog
    {
        internal ConcurrentQueue<string> VerboseLines { get; } = new ConcurrentQueue<string>();
        internal ConcurrentQueue<string> Warnings { get; } = new ConcurrentQueue<string>();
        internal ConcurrentQueue<string> PullsBegun { get; } = new ConcurrentQueue<string>();
        internal ConcurrentQueue<string> PullsEnded { get; } = new ConcurrentQueue<string>();
        internal int ProgressMessages;

        public bool VerboseEnabled => true;
        public void Verbose(string message) => VerboseLines.Enqueue(message);
        public void Warning(string message) => Warnings.Enqueue(message);

        public IPullProgress BeginPull(string reference)
        {
            PullsBegun.Enqueue(reference);
            return new Pull(this, reference);
        }

        private sealed class Pull : IPullProgress
        {
            private readonly RecordingLog _log;
            private readonly string _reference;

            internal Pull(RecordingLog log, string reference) { _log = log; _reference = reference; }

            public void Report(ImagePullProgress message) => System.Threading.Interlocked.Increment(ref _log.ProgressMessages);
            public void Dispose() => _log.PullsEnded.Enqueue(_reference);
        }
    }
}
