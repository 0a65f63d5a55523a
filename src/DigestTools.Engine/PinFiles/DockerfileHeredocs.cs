using System;
using System.Collections.Generic;
using System.Text;

namespace DigestTools.Engine.PinFiles
{
    /// <summary>
    /// The heredocs an instruction opens, read as BuildKit reads them: only RUN, COPY and ADD (also after ONBUILD)
    /// in shell form, and only from a shell word that starts with "&lt;&lt;" (after an optional file descriptor).
    /// The rest of that word, quotes removed, is the terminator, so "&lt;&lt;END-OF-SCRIPT" ends at a line
    /// "END-OF-SCRIPT", and "&lt;&lt;EOF" inside quotes or after other characters opens nothing.
    /// </summary>
    internal static class DockerfileHeredocs
    {
        internal static IEnumerable<(string Word, bool StripTabs)> Of(DockerfileInstruction instruction)
        {
            string text = instruction.Text;
            if (text.IndexOf("<<", StringComparison.Ordinal) < 0) yield break;
            List<string> words = ShellWords(text);
            if (words == null) yield break;
            int first = words.Count > 1 && words[0].Equals("ONBUILD", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
            string keyword = words[first].ToUpperInvariant();
            if (keyword != "RUN" && keyword != "COPY" && keyword != "ADD") yield break;

            // Flags (--mount=...) never start with "<<", and a valid JSON form (the exec form, where BuildKit opens no
            // heredoc) has every argument quoted, so no word of either is taken; a "[ <<EOF ]" that is no JSON is shell
            // form for BuildKit too.
            for (int i = first + 1; i < words.Count; i++)
            {
                string word = words[i];
                int at = 0;
                while (at < word.Length && word[at] >= '0' && word[at] <= '9') at++;
                if (string.CompareOrdinal(word, at, "<<", 0, 2) != 0) continue;
                at += 2;
                bool stripTabs = at < word.Length && word[at] == '-';
                if (stripTabs) at++;
                string rest = word.Substring(at);
                if (rest.Length == 0 || rest.IndexOf('<') >= 0) continue;
                yield return (Unquote(rest), stripTabs);
            }
        }

        // Words split on blanks outside quotes; quotes and backslashes are kept as written. Null when a quote is
        // left open: BuildKit's lexer finds no heredoc in such a line.
        private static List<string> ShellWords(string text)
        {
            var words = new List<string>();
            var word = new StringBuilder();
            bool inWord = false;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == ' ' || c == '\t')
                {
                    if (inWord) words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                    continue;
                }
                inWord = true;
                word.Append(c);
                if (c == '\\' && i + 1 < text.Length) word.Append(text[++i]);
                else if (c == '\'' || c == '"')
                {
                    for (i++; i < text.Length && text[i] != c; i++)
                    {
                        if (c == '"' && text[i] == '\\' && i + 1 < text.Length) word.Append(text[i++]);
                        word.Append(text[i]);
                    }
                    if (i == text.Length) return null;
                    word.Append(c);
                }
            }
            if (inWord) words.Add(word.ToString());
            return words;
        }

        // The word as the shell means it: quotes removed, a backslash keeps the character after it (and, ending the
        // word, is dropped, as BuildKit's lexer drops an escape with nothing after it).
        private static string Unquote(string word)
        {
            var result = new StringBuilder();
            char quote = '\0';
            for (int i = 0; i < word.Length; i++)
            {
                char c = word[i];
                if (quote == '\0' && (c == '\'' || c == '"')) quote = c;
                else if (c == quote) quote = '\0';
                else if (c == '\\' && quote != '\'')
                {
                    if (i + 1 < word.Length) result.Append(word[++i]);
                }
                else result.Append(c);
            }
            return result.ToString();
        }
    }
}
