using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace DigestTools
{
    /// <summary>
    /// Results of work running concurrently, written in input order on the pipeline thread: finished results
    /// at the head go out while later inputs still arrive, and past a backlog the oldest is waited for, so
    /// memory stays bounded on huge inputs. Background messages are pumped while waiting.
    /// </summary>
    internal sealed class OrderedResults<T>
    {
        private readonly Queue<Pending> _pending = new Queue<Pending>();
        private readonly PipelinePump _pump;
        private readonly CancellationToken _stopping;
        private readonly int _backlog;
        private readonly Action<object, T> _writeResult;
        private readonly Action<object, Exception> _writeFailure;
        private readonly Action<ErrorRecord> _writeError;

        internal OrderedResults(PipelinePump pump, CancellationToken stopping, int backlog,
            Action<object, T> writeResult, Action<object, Exception> writeFailure, Action<ErrorRecord> writeError)
        {
            _pump = pump;
            _stopping = stopping;
            _backlog = backlog;
            _writeResult = writeResult;
            _writeFailure = writeFailure;
            _writeError = writeError;
        }

        internal void Add(object target, Task<T> work) => Enqueue(new Pending { Target = target, Task = work });

        /// <summary>An input already known to fail: its error keeps its place in the order.</summary>
        internal void Add(ErrorRecord error) => Enqueue(new Pending { Error = error });

        /// <summary>Writes finished results from the head of the queue, in input order; optionally waits for all.</summary>
        internal void WriteFinished(bool waitForAll)
        {
            _pump.DrainPending();
            while (_pending.Count > 0 && (waitForAll || _pending.Peek().IsDone)) WriteHead();
            _pump.DrainPending();
        }

        private void Enqueue(Pending pending)
        {
            _pending.Enqueue(pending);
            while (_pending.Count > _backlog) WriteHead();
        }

        // Waits for the oldest input (running background messages meanwhile) and writes its result or error.
        private void WriteHead()
        {
            Pending head = _pending.Peek();
            if (!head.IsDone) _pump.RunUntil(head.Task);
            if (_stopping.IsCancellationRequested) throw new PipelineStoppedException();
            _pending.Dequeue();
            if (head.Error != null) _writeError(head.Error);
            else if (head.Task.Status == TaskStatus.RanToCompletion) _writeResult(head.Target, head.Task.Result);
            else _writeFailure(head.Target, head.Task.Exception?.GetBaseException() ?? new OperationCanceledException());
        }

        private sealed class Pending
        {
            internal object Target;
            internal Task<T> Task;
            internal ErrorRecord Error;
            internal bool IsDone => Error != null || Task.IsCompleted;
        }
    }
}
