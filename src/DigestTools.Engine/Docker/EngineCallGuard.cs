using System;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Docker
{
    /// <summary>
    /// Runs every engine request under the same rules: bounded by an <see cref="EngineWatchdog"/>, and whatever
    /// the transport or the reply parser throws turned into a FailureException with a stable ErrorId
    /// (EngineTimeout, NotAContainerEngine, EngineUnreachable, or the caller's mapping of the engine's own error).
    /// A stop by the caller stays an OperationCanceledException.
    /// </summary>
    internal sealed class EngineCallGuard
    {
        private readonly EngineEndpoint _endpoint;

        internal EngineCallGuard(EngineEndpoint endpoint, TimeSpan timeout)
        {
            _endpoint = endpoint;
            Timeout = timeout;
        }

        internal TimeSpan Timeout { get; }

        /// <param name="what">The request in words, for messages: "inspect container 1a2b".</param>
        /// <param name="call">The request; it uses the watchdog's token and kicks it on progress if it streams.</param>
        /// <param name="engineError">Maps an error the engine itself answered (an HTTP error status).</param>
        internal async Task<T> RunAsync<T>(string what, Func<EngineWatchdog, Task<T>> call,
            Func<DockerApiException, Exception> engineError, CancellationToken cancellationToken)
        {
            using (var watchdog = new EngineWatchdog(Timeout, cancellationToken))
            {
                try
                {
                    return await call(watchdog).ConfigureAwait(false);
                }
                catch (FailureException)
                {
                    throw;   // already decided, e.g. by a nested request
                }
                catch (Exception e) when (watchdog.Expired)
                {
                    throw EngineErrors.TimedOut(_endpoint, what, Timeout, watchdog.Streaming, e);
                }
                catch (DockerApiException e)
                {
                    throw engineError(e);
                }
                catch (Exception e) when (EngineErrors.IsUnreadableReply(e))
                {
                    throw EngineErrors.NotAnEngine(_endpoint, what, e);
                }
                catch (Exception e) when (!(e is OperationCanceledException) && EngineErrors.IsConnectionFailure(e))
                {
                    throw EngineErrors.Unreachable(_endpoint, e);
                }
            }
        }
    }
}
