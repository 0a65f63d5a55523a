using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace DigestTools
{
    /// <summary>
    /// Lets background tasks talk to PowerShell. Write* calls are only legal on the pipeline thread, so
    /// tasks post actions here and the pipeline thread runs them while it waits for the tasks to finish.
    /// </summary>
    internal sealed class PipelinePump : IDisposable
    {
        private readonly BlockingCollection<Action> _actions = new BlockingCollection<Action>();
        private readonly Cmdlet _cmdlet;

        internal PipelinePump(Cmdlet cmdlet) => _cmdlet = cmdlet;

        /// <summary>Queue an action for the pipeline thread. Safe from any thread.</summary>
        internal void Post(Action action)
        {
            try { _actions.Add(action); }
            catch (InvalidOperationException) { /* pump already disposed: the cmdlet is gone */ }
        }

        internal void Verbose(string message) => Post(() => _cmdlet.WriteVerbose(message));
        internal void Debug(string message) => Post(() => _cmdlet.WriteDebug(message));
        internal void Warning(string message) => Post(() => _cmdlet.WriteWarning(message));
        internal void Progress(ProgressRecord record) => Post(() => _cmdlet.WriteProgress(record));

        /// <summary>
        /// Run queued actions until <paramref name="task"/> completes, then return. After a stop the task still
        /// runs to its end (its clean-up included); the records it posts meanwhile are dropped, since a stopped
        /// pipeline refuses them.
        /// </summary>
        internal void RunUntil(Task task)
        {
            task.ContinueWith(_ => Post(() => { }), TaskScheduler.Default);   // wake the loop on completion
            while (true)
            {
                DrainPending();
                if (task.IsCompleted) { DrainPending(); return; }
                if (_actions.TryTake(out Action action, Timeout.Infinite)) Execute(action);
            }
        }

        /// <summary>Run what is queued now, without waiting.</summary>
        internal void DrainPending()
        {
            while (_actions.TryTake(out Action action)) Execute(action);
        }

        private void Execute(Action action)
        {
            try { action(); }
            catch (PipelineStoppedException) when (_cmdlet.Stopping) { /* the caller learns of the stop when the task ends */ }
        }

        public void Dispose() => _actions.Dispose();
    }
}
