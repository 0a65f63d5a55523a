using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace DigestTools
{
    /// <summary>Tab completion for -Network: the networks the engine has (none, host, bridge and user-defined ones).</summary>
    public sealed class NetworkCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
            => CompletionText.Matching(EngineCompletionQuery.Ask(fakeBoundParameters, (client, cancel) => client.ListNetworkNamesAsync(cancel)), wordToComplete);
    }
}
