using DigestTools.Engine.Docker;

namespace DigestTools.Engine.Workflow
{
    /// <summary>
    /// What a workflow tells whoever runs it: verbose lines, warnings, pull progress. Called from any
    /// thread; the cmdlet assembly's implementation queues everything for the pipeline thread.
    /// </summary>
    public interface IWorkflowLog
    {
        /// <summary>False when nobody reads verbose lines: callers skip formatting them.</summary>
        bool VerboseEnabled { get; }

        void Verbose(string message);

        void Warning(string message);

        /// <summary>Progress of one pull; disposing it closes that pull's progress display.</summary>
        IPullProgress BeginPull(string reference);
    }

    /// <summary>The progress display of one pull.</summary>
    public interface IPullProgress : System.IDisposable
    {
        void Report(ImagePullProgress message);
    }
}
