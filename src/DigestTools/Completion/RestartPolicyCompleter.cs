using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using DigestTools.Engine.Docker;

namespace DigestTools
{
    /// <summary>Tab completion for -RestartPolicy: the policy names the engine accepts (on-failure takes ":max-retries" too).</summary>
    public sealed class RestartPolicyCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
            => CompletionText.Matching(RestartPolicySpec.Names, wordToComplete);
    }
}
