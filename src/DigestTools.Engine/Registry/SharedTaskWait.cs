using System.Threading;
using System.Threading.Tasks;

namespace DigestTools.Engine.Registry
{
    /// <summary>
    /// Waiting on work shared by many callers (the /v2/ check, an index fetch): the work runs under the
    /// client's lifetime, and each caller stops waiting when its own token trips without cancelling the
    /// work for the others. (netstandard2.0 has no Task.WaitAsync.)
    /// </summary>
    internal static class SharedTaskWait
    {
        internal static async Task WaitAsync(Task task, CancellationToken cancellationToken)
        {
            await WhenDoneOrCancelled(task, cancellationToken).ConfigureAwait(false);
            await task.ConfigureAwait(false);
        }

        internal static async Task<T> WaitAsync<T>(Task<T> task, CancellationToken cancellationToken)
        {
            await WhenDoneOrCancelled(task, cancellationToken).ConfigureAwait(false);
            return await task.ConfigureAwait(false);
        }

        private static async Task WhenDoneOrCancelled(Task task, CancellationToken cancellationToken)
        {
            if (task.IsCompleted || !cancellationToken.CanBeCanceled) return;
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task) cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }
}
