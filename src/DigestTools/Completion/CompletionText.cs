namespace DigestTools
{
    /// <summary>What the user typed so far, without the quote they may have opened.</summary>
    internal static class CompletionText
    {
        internal static string Unquote(string word)
        {
            if (string.IsNullOrEmpty(word)) return string.Empty;
            string trimmed = word.Trim();
            if (trimmed.Length > 0 && (trimmed[0] == '\'' || trimmed[0] == '"')) trimmed = trimmed.Substring(1);
            if (trimmed.Length > 0 && (trimmed[trimmed.Length - 1] == '\'' || trimmed[trimmed.Length - 1] == '"')) trimmed = trimmed.Substring(0, trimmed.Length - 1);
            return trimmed;
        }
    }
}
