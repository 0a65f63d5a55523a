using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;

namespace DigestTools
{
    /// <summary>
    /// One question to the engine for a completer: the (first) engine of -EngineUri when it is already on the
    /// command line, else DOCKER_HOST / DOCKER_CONTEXT / the platform default. Completion must never hang a prompt nor
    /// print an error: the engine gets a short deadline, and any failure (no engine, refused, slow) simply
    /// yields no suggestions.
    /// </summary>
    internal static class EngineCompletionQuery
    {
        internal static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

        internal static IReadOnlyList<string> Ask(IDictionary fakeBoundParameters,
            Func<EngineClient, CancellationToken, Task<IReadOnlyList<string>>> question)
        {
            // -EngineUri may hold several addresses (a fleet): the first engine answers.
            object given = fakeBoundParameters != null && fakeBoundParameters.Contains("EngineUri") ? fakeBoundParameters["EngineUri"] : null;
            string engineUri = given is IEnumerable list && !(given is string)
                ? Convert.ToString(list.Cast<object>().FirstOrDefault())
                : Convert.ToString(given);
            try
            {
                Task<IReadOnlyList<string>> query = Task.Run(() => AskAsync(string.IsNullOrWhiteSpace(engineUri) ? null : engineUri, question));
                // Wait, not await: a completer is synchronous, and the deadline also covers connecting.
                if (!query.Wait(Deadline)) return new string[0];
                return query.Result;
            }
            catch (Exception)
            {
                return new string[0];
            }
        }

        private static async Task<IReadOnlyList<string>> AskAsync(string engineUri,
            Func<EngineClient, CancellationToken, Task<IReadOnlyList<string>>> question)
        {
            using (var timeout = new CancellationTokenSource(Deadline))
            {
                EngineEndpoint endpoint = new EngineEndpointResolver().Resolve(engineUri);
                // No version negotiation: Podman alone would spend the whole deadline on GET /version.
                using (EngineClient client = EngineClient.ConnectWithoutNegotiation(endpoint))
                {
                    return await question(client, timeout.Token).ConfigureAwait(false);
                }
            }
        }
    }
}
