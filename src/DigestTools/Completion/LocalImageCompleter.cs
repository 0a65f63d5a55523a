using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;

namespace DigestTools
{
    /// <summary>
    /// Tab completion for image references (-Reference, -Filter): the repository:tag names the local engine
    /// holds, from -EngineUri when it is already on the command line, else DOCKER_HOST / DOCKER_CONTEXT / the
    /// platform default. Completion must never hang a prompt nor print an error: the engine gets a short
    /// deadline, and any failure (no engine, refused, slow) simply yields no suggestions.
    /// </summary>
    public sealed class LocalImageCompleter : IArgumentCompleter
    {
        internal static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            // Get-ImageDigest's first position is -Reference (Remote) or -Filter (Local): PowerShell asks both
            // completers, so -Filter answers only once -Local is on the line, and the names are not offered twice.
            if (string.Equals(parameterName, "Filter", StringComparison.OrdinalIgnoreCase)
                && (fakeBoundParameters == null || !fakeBoundParameters.Contains("Local")))
                return new CompletionResult[0];
            string typed = CompletionText.Unquote(wordToComplete);
            // -EngineUri may hold several addresses: the first engine's images are offered.
            object given = fakeBoundParameters != null && fakeBoundParameters.Contains("EngineUri") ? fakeBoundParameters["EngineUri"] : null;
            string engineUri = given is System.Collections.IEnumerable list && !(given is string)
                ? Convert.ToString(System.Linq.Enumerable.FirstOrDefault(System.Linq.Enumerable.Cast<object>(list)))
                : Convert.ToString(given);
            if (engineUri == string.Empty) engineUri = null;
            IReadOnlyList<string> names = LocalNames(string.IsNullOrWhiteSpace(engineUri) ? null : engineUri);
            return names
                .Where(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase) || NameWithoutRegistry(n).StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n))
                .ToList();
        }

        /// <summary>Sorted distinct repository:tag names, or an empty list when no engine answers in time.</summary>
        internal static IReadOnlyList<string> LocalNames(string engineUri)
        {
            try
            {
                Task<IReadOnlyList<string>> query = Task.Run(() => QueryAsync(engineUri));
                // Wait, not await: a completer is synchronous, and the deadline also covers connecting.
                if (!query.Wait(Deadline)) return new string[0];
                return query.Result;
            }
            catch (Exception)
            {
                return new string[0];
            }
        }

        private static async Task<IReadOnlyList<string>> QueryAsync(string engineUri)
        {
            using (var timeout = new CancellationTokenSource(Deadline))
            {
                EngineEndpoint endpoint = new EngineEndpointResolver().Resolve(engineUri);
                using (EngineClient client = await EngineClient.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false))
                {
                    IReadOnlyList<EngineImage> images = await client.ListImagesAsync(timeout.Token).ConfigureAwait(false);
                    return images
                        .SelectMany(i => i.RepoTags ?? new string[0])
                        .Where(t => !string.IsNullOrEmpty(t) && !t.StartsWith("<none>", StringComparison.Ordinal))
                        .Distinct(StringComparer.Ordinal)
                        .OrderBy(t => t, StringComparer.OrdinalIgnoreCase)
                        .ToList();
                }
            }
        }

        // Podman lists docker.io/library/busybox:latest; a user types busybox.
        private static string NameWithoutRegistry(string name)
        {
            int slash = name.IndexOf('/');
            if (slash < 0) return name;
            string first = name.Substring(0, slash);
            bool isRegistry = first.Contains(".") || first.Contains(":") || first == "localhost";
            string rest = isRegistry ? name.Substring(slash + 1) : name;
            return rest.StartsWith("library/", StringComparison.Ordinal) ? rest.Substring("library/".Length) : rest;
        }
    }
}
