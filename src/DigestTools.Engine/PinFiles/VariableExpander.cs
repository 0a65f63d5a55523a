using System;
using System.Collections.Generic;
using System.Text;

namespace DigestTools.Engine.PinFiles
{
    /// <summary>
    /// Expands $NAME and ${NAME...} the way Dockerfile ARGs and Compose interpolation do, using only values the
    /// file and its project give (ARG defaults, ${NAME:-default}, Compose's .env), never the caller's environment: the pin must be what
    /// the file names on any machine. A variable with no value leaves the reference unresolved (Docker would
    /// silently substitute an empty string, which names a different image).
    /// Forms: $NAME, ${NAME}, ${NAME:-word}, ${NAME-word}, ${NAME:+word}, ${NAME+word}, ${NAME:?msg}, ${NAME?msg}.
    /// </summary>
    internal sealed class VariableExpander
    {
        private readonly IReadOnlyDictionary<string, string> _values;
        private readonly char _escape;          // Dockerfile: the escape character protects a '$'
        private readonly bool _doubledDollar;   // Compose: "$$" is a literal '$'

        private VariableExpander(IReadOnlyDictionary<string, string> values, char escape, bool doubledDollar)
        {
            _values = values;
            _escape = escape;
            _doubledDollar = doubledDollar;
        }

        internal static VariableExpander ForDockerfile(IReadOnlyDictionary<string, string> args, char escape)
            => new VariableExpander(args, escape, false);

        /// <summary>Compose interpolation with the values of the project's .env file (<see cref="ComposeEnvFile"/>).</summary>
        internal static VariableExpander ForCompose(IReadOnlyDictionary<string, string> envFile)
            => new VariableExpander(envFile, '\0', true);

        /// <summary>
        /// Why a reference whose expansion stopped at <paramref name="unresolved"/> is left as written:
        /// <paramref name="noValue"/> for a variable name, another sentence for a "${...}" this class does not expand.
        /// </summary>
        internal static string Reason(string unresolved, string noValue)
            => unresolved.StartsWith("${", StringComparison.Ordinal)
                ? $"the reference uses {unresolved}, a substitution that is not expanded here"
                : $"the variable {unresolved} {noValue}";

        /// <summary>
        /// The expanded text, or null with the name of the first variable that has no value (or the whole "${...}"
        /// when it is no form expanded here).
        /// </summary>
        internal string Expand(string text, out string unresolved)
        {
            unresolved = null;
            var result = new StringBuilder();
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (_escape != '\0' && c == _escape && i + 1 < text.Length && text[i + 1] == '$')
                {
                    result.Append('$');
                    i += 2;
                }
                else if (c == '$' && _doubledDollar && i + 1 < text.Length && text[i + 1] == '$')
                {
                    result.Append('$');
                    i += 2;
                }
                else if (c == '$' && i + 1 < text.Length && text[i + 1] == '{')
                {
                    int close = MatchingBrace(text, i + 2);
                    if (close < 0) { unresolved = text.Substring(i); return null; }
                    string value = ExpandBraced(text.Substring(i + 2, close - i - 2), ref unresolved);
                    if (value == null) return null;
                    result.Append(value);
                    i = close + 1;
                }
                else if (c == '$' && i + 1 < text.Length && IsNameStart(text[i + 1]))
                {
                    int end = i + 1;
                    while (end < text.Length && IsNameChar(text[end])) end++;
                    string name = text.Substring(i + 1, end - i - 1);
                    if (!TryValue(name, out string value)) { unresolved = name; return null; }
                    result.Append(value);
                    i = end;
                }
                else
                {
                    result.Append(c);
                    i++;
                }
            }
            return result.ToString();
        }

        private string ExpandBraced(string inner, ref string unresolved)
        {
            int nameEnd = 0;
            while (nameEnd < inner.Length && IsNameChar(inner[nameEnd])) nameEnd++;
            string name = inner.Substring(0, nameEnd);
            string rest = inner.Substring(nameEnd);
            bool isSet = TryValue(name, out string value);
            if (name.Length == 0) { unresolved = "${" + inner + "}"; return null; }
            if (rest.Length == 0)
            {
                if (!isSet) unresolved = name;
                return isSet ? value : null;
            }

            bool colon = rest[0] == ':';
            string op = colon ? rest.Substring(0, Math.Min(2, rest.Length)) : rest.Substring(0, 1);
            string word = rest.Substring(op.Length);
            bool present = colon ? isSet && value.Length > 0 : isSet;
            switch (op.TrimStart(':'))
            {
                case "-":
                    return present ? value : ExpandWord(word, ref unresolved);
                case "+":
                    return present ? ExpandWord(word, ref unresolved) : string.Empty;
                case "?":
                    if (!present) unresolved = name;
                    return present ? value : null;
                default:
                    // ${NAME#...}, ${NAME%...}, ${NAME/...} and the like: not expanded here; reported as written.
                    unresolved = "${" + inner + "}";
                    return null;
            }
        }

        private string ExpandWord(string word, ref string unresolved)
        {
            string value = Expand(word, out string inner);
            if (value == null) unresolved = inner;
            return value;
        }

        private bool TryValue(string name, out string value)
            => _values.TryGetValue(name, out value) && value != null;

        private static int MatchingBrace(string text, int from)
        {
            int depth = 1;
            for (int i = from; i < text.Length; i++)
            {
                if (text[i] == '{') depth++;
                else if (text[i] == '}' && --depth == 0) return i;
            }
            return -1;
        }

        private static bool IsNameStart(char c) => c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        private static bool IsNameChar(char c) => IsNameStart(c) || (c >= '0' && c <= '9');
    }
}
