using System;
using System.Threading;

namespace DigestTools.Engine.Docker
{
    /// <summary>
    /// The bound on one engine request. Left alone it is a deadline: the request fails once the timeout has
    /// passed. A streaming request calls <see cref="Kick"/> on every sign of progress, so it is bounded by
    /// silence rather than by total time: a long pull that keeps reporting never expires.
    /// </summary>
    internal sealed class EngineWatchdog : IDisposable
    {
        private readonly CancellationTokenSource _expiry;
        private readonly CancellationToken _caller;

        internal EngineWatchdog(TimeSpan timeout, CancellationToken caller)
        {
            Timeout = timeout;
            _caller = caller;
            _expiry = CancellationTokenSource.CreateLinkedTokenSource(caller);
            _expiry.CancelAfter(timeout);
        }

        internal TimeSpan Timeout { get; }

        /// <summary>Cancelled when the caller stops or the timeout passes without progress.</summary>
        internal CancellationToken Token => _expiry.Token;

        /// <summary>True once progress was reported: the request streams, and a timeout means silence.</summary>
        internal bool Streaming { get; private set; }

        /// <summary>True when the watchdog, not the caller, cancelled the request.</summary>
        internal bool Expired => _expiry.IsCancellationRequested && !_caller.IsCancellationRequested;

        /// <summary>Progress: the timeout starts again from now.</summary>
        internal void Kick()
        {
            Streaming = true;
            try { if (!_expiry.IsCancellationRequested) _expiry.CancelAfter(Timeout); }
            catch (ObjectDisposedException) { }   // a late progress report after the request ended
        }

        /// <summary>Cancels whatever the request left running (a wait abandoned on error), then frees the timer.</summary>
        public void Dispose()
        {
            _expiry.Cancel();
            _expiry.Dispose();
        }
    }
}
