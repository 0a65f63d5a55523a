using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace DigestTools
{
    /// <summary>
    /// Base of every DigestTools cmdlet: a cancellation token that Ctrl+C (StopProcessing) trips, and a
    /// pump so async work can write verbose, warning and progress records from background threads.
    /// </summary>
    public abstract class DigestToolsCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private PipelinePump _pump;

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
        protected CancellationToken StopToken => _stopping.Token;

        internal PipelinePump Pump => _pump ?? (_pump = new PipelinePump(this));

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>
        /// Runs <paramref name="work"/> off the pipeline thread, pumping its messages, and returns its result.
        /// Exceptions surface unwrapped; a stop becomes PipelineStoppedException.
        /// </summary>
        internal T Run<T>(Func<CancellationToken, Task<T>> work)
        {
            Task<T> task = Task.Run(() => work(StopToken));
            Pump.RunUntil(task);
            if (StopToken.IsCancellationRequested) throw new PipelineStoppedException();
            return task.GetAwaiter().GetResult();
        }

        public void Dispose()
        {
            _stopping.Dispose();
            _pump?.Dispose();
        }
    }
}
