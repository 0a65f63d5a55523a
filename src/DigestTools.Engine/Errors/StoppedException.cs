using System;

namespace DigestTools.Engine.Errors
{
    /// <summary>
    /// A call the caller stopped (Ctrl+C, a runbook stop) that cleaned up after itself first. <see cref="Report"/>
    /// says what the clean-up removed and what it could not: the cmdlet layer shows it, although a stopped
    /// pipeline takes no more records.
    /// </summary>
    public sealed class StoppedException : OperationCanceledException
    {
        public StoppedException(string report, OperationCanceledException cause)
            : base("Stopped. " + report, cause, cause?.CancellationToken ?? default)
        {
            Report = report;
        }

        public string Report { get; }
    }
}
