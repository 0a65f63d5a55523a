using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace DigestTools
{
    /// <summary>
    /// Tab completion for -Platform: the os/arch[/variant] values registries publish most. Any other value
    /// can still be typed; this list only saves looking up the spelling (arm64/v8, arm/v7 ...).
    /// </summary>
    public sealed class PlatformCompleter : IArgumentCompleter
    {
        internal static readonly string[] CommonPlatforms =
        {
            "linux/amd64", "linux/arm64", "linux/arm64/v8", "linux/arm/v7", "linux/arm/v6", "linux/386",
            "linux/ppc64le", "linux/s390x", "linux/riscv64", "windows/amd64",
        };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
            => CompletionText.Matching(CommonPlatforms, wordToComplete);
    }
}
