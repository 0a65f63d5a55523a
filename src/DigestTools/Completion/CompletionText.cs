using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace DigestTools
{
    /// <summary>What the user typed so far, and the values that complete it.</summary>
    internal static class CompletionText
    {
        /// <summary>The typed word without the quote the user may have opened.</summary>
        internal static string Unquote(string word)
        {
            if (string.IsNullOrEmpty(word)) return string.Empty;
            string trimmed = word.Trim();
            if (trimmed.Length > 0 && (trimmed[0] == '\'' || trimmed[0] == '"')) trimmed = trimmed.Substring(1);
            if (trimmed.Length > 0 && (trimmed[trimmed.Length - 1] == '\'' || trimmed[trimmed.Length - 1] == '"')) trimmed = trimmed.Substring(0, trimmed.Length - 1);
            return trimmed;
        }

        /// <summary>The values that start with what was typed (case-insensitive), in the given order.</summary>
        internal static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string wordToComplete)
        {
            string typed = Unquote(wordToComplete);
            return values
                .Where(v => v.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, v))
                .ToList();
        }
    }
}
