using System.Collections.Generic;
using System.IO;
using System.Text;

namespace DigestTools.Engine.PinFiles
{
    /// <summary>
    /// The .env file Compose reads from a Compose file's folder (its project directory) to interpolate the file:
    /// the values `docker compose` would give ${TAG} on any machine with that folder. Only the file is read, never
    /// the caller's environment (see <see cref="VariableExpander"/>). Syntax, as Compose documents it: KEY=VALUE
    /// lines, an optional "export " prefix, '#' comments (inline only after a space for unquoted values),
    /// single quotes literal, double quotes with \n \r \t \\ \" escapes, unquoted and double-quoted values
    /// interpolated from the keys above them; quoted values may span lines.
    /// </summary>
    internal static class ComposeEnvFile
    {
        internal const string FileName = ".env";

        /// <summary>The folder whose .env a Compose file at <paramref name="composePath"/> reads (its project directory).</summary>
        internal static string FolderOf(string composePath) => Path.GetDirectoryName(Path.GetFullPath(composePath));

        /// <summary>The values of the .env in <paramref name="folder"/>; empty when there is none.</summary>
        internal static IReadOnlyDictionary<string, string> InFolder(string folder)
        {
            string path = Path.Combine(folder, FileName);
            return File.Exists(path) ? Parse(File.ReadAllText(path, Encoding.UTF8)) : new Dictionary<string, string>();
        }

        internal static Dictionary<string, string> Parse(string text)
        {
            var values = new Dictionary<string, string>();
            var expander = VariableExpander.ForCompose(values);
            int i = 0;
            while (i < text.Length)
            {
                SkipBlanks(text, ref i);
                if (i >= text.Length) break;

                string key = ReadKey(text, ref i);
                if (key == "export" && i < text.Length && (text[i] == ' ' || text[i] == '\t'))
                {
                    SkipBlanks(text, ref i);
                    key = ReadKey(text, ref i);
                }
                SkipBlanks(text, ref i);
                if (key.Length == 0 || i >= text.Length || text[i] != '=')
                {
                    // A blank line or a comment gives no key. "KEY" alone takes the caller's environment in Compose: no value
                    // here. Anything else is not a line we understand.
                    SkipLine(text, ref i);
                    continue;
                }
                i++;
                SkipBlanks(text, ref i);
                string value = ReadValue(text, ref i, out bool interpolate);
                if (interpolate) value = expander.Expand(value, out _);
                if (value == null) values.Remove(key);   // names a variable with no value: no value itself
                else values[key] = value;
            }
            return values;
        }

        private static string ReadValue(string text, ref int i, out bool interpolate)
        {
            interpolate = true;
            if (i < text.Length && (text[i] == '\'' || text[i] == '"'))
            {
                char quote = text[i++];
                interpolate = quote == '"';
                var value = new StringBuilder();
                while (i < text.Length && text[i] != quote)
                {
                    if (text[i] == '\\' && i + 1 < text.Length) value.Append(Unescape(text[++i], quote));
                    else value.Append(text[i]);
                    i++;
                }
                i++;             // the closing quote
                SkipLine(text, ref i);   // a comment may follow it
                return value.ToString();
            }

            int start = i;
            while (i < text.Length && text[i] != '\n' && text[i] != '\r'
                && !(text[i] == '#' && i > start && (text[i - 1] == ' ' || text[i - 1] == '\t')))
                i++;
            string unquoted = text.Substring(start, i - start).TrimEnd();
            SkipLine(text, ref i);
            return unquoted;
        }

        private static string Unescape(char c, char quote)
        {
            if (quote == '\'') return c == '\'' ? "'" : "\\" + c;
            switch (c)
            {
                case 'n': return "\n";
                case 'r': return "\r";
                case 't': return "\t";
                case '\\': return "\\";
                case '"': return "\"";
                default: return "\\" + c;
            }
        }

        private static string ReadKey(string text, ref int i)
        {
            int start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_' || text[i] == '.' || text[i] == '-')) i++;
            return text.Substring(start, i - start);
        }

        private static void SkipBlanks(string text, ref int i)
        {
            while (i < text.Length && (text[i] == ' ' || text[i] == '\t')) i++;
        }

        private static void SkipLine(string text, ref int i)
        {
            while (i < text.Length && text[i] != '\n') i++;
            if (i < text.Length) i++;
        }
    }
}
