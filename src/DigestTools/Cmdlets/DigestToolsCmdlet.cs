using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Workflow;

namespace DigestTools
{
    /// <summary>
    /// Base of every DigestTools cmdlet: a cancellation token that Ctrl+C (StopProcessing) trips, a pump so
    /// async work can write verbose, warning and progress records from background threads, and the log
    /// workflows write to. PowerShell calls Dispose on every path (end, Ctrl+C, terminating error).
    /// </summary>
    public abstract class DigestToolsCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private PipelinePump _pump;
        private PumpLog _log;

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
        protected CancellationToken StopToken => _stopping.Token;

        internal PipelinePump Pump => _pump ?? (_pump = new PipelinePump(this));

        /// <summary>What workflows report to; verbose text is only formatted when someone reads it.</summary>
        internal IWorkflowLog Log => _log ?? (_log = new PumpLog(Pump, VerboseWanted()));

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>
        /// Runs <paramref name="work"/> off the pipeline thread, pumping its messages, and returns its result.
        /// Exceptions surface unwrapped; a stop becomes PipelineStoppedException.
        /// </summary>
        internal T Run<T>(Func<CancellationToken, Task<T>> work)
        {
            Task<T> task = Task.Run(() => work(StopToken));
            Pump.RunUntil(task);
            if (StopToken.IsCancellationRequested) throw Stopped(task);
            return task.GetAwaiter().GetResult();
        }

        // A stopped pipeline takes no more records, so what the work did to clean up goes to the host directly
        // (console, transcript).
        private PipelineStoppedException Stopped(Task task)
        {
            StoppedException stopped = null;
            // A task that ended in an OperationCanceledException is Canceled, not Faulted: only awaiting it gives the exception.
            try { task.GetAwaiter().GetResult(); }
            catch (StoppedException e) { stopped = e; }
            catch (Exception) { /* any other end of a stopped call has nothing to report */ }
            if (stopped != null)
            {
                try { Host?.UI?.WriteWarningLine(stopped.Message); }
                catch (Exception) { /* a host without a user interface: nowhere left to say it */ }
            }
            return new PipelineStoppedException();
        }

        private bool VerboseWanted()
        {
            if (MyInvocation.BoundParameters.TryGetValue("Verbose", out object verbose)) return ((SwitchParameter)verbose).IsPresent;
            return GetVariableValue("VerbosePreference") is ActionPreference preference && preference != ActionPreference.SilentlyContinue
                && preference != ActionPreference.Ignore;
        }

        /// <summary>Connections, clients and gates a cmdlet holds; released however the call ends.</summary>
        protected virtual void ReleaseResources() { }

        public void Dispose()
        {
            ReleaseResources();
            _stopping.Dispose();
            _pump?.Dispose();
        }
    }
}
