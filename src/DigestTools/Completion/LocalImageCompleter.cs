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
    /// Tab completion for image references (-Reference, -Filter): the repository:tag names the engine holds
    /// (see <see cref="EngineCompletionQuery"/> for which engine, and why failures complete nothing).
    /// </summary>
    public sealed class LocalImageCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            // Get-ImageDigest's first position is -Reference (Remote) or -Filter (Local): PowerShell asks both
            // completers, so -Filter answers only once -Local is on the line, and the names are not offered twice.
            if (string.Equals(parameterName, "Filter", StringComparison.OrdinalIgnoreCase)
                && (fakeBoundParameters == null || !fakeBoundParameters.Contains("Local")))
                return new CompletionResult[0];
            string typed = CompletionText.Unquote(wordToComplete);
            IReadOnlyList<string> names = EngineCompletionQuery.Ask(fakeBoundParameters, LocalNamesAsync);
            return names
                .Where(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase) || NameWithoutRegistry(n).StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n))
                .ToList();
        }

        /// <summary>Sorted distinct repository:tag names.</summary>
        private static async Task<IReadOnlyList<string>> LocalNamesAsync(EngineClient client, CancellationToken cancellationToken)
        {
            IReadOnlyList<EngineImage> images = await client.ListImagesAsync(cancellationToken).ConfigureAwait(false);
            return images
                .SelectMany(i => i.RepoTags ?? new string[0])
                .Where(t => !string.IsNullOrEmpty(t) && !t.StartsWith("<none>", StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal)
                .OrderBy(t => t, StringComparer.OrdinalIgnoreCase)
                .ToList();
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
