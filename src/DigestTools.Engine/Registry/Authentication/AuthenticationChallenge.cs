using System;
using System.Collections.Generic;
using System.Text;

namespace DigestTools.Engine.Registry.Authentication
{
    /// <summary>
    /// One challenge of a WWW-Authenticate header (RFC 7235): a scheme and its parameters.
    /// Parsed by hand because registries send quoted values containing commas (scope="repository:a:pull,push")
    /// and several challenges in one header, which naive splitting gets wrong.
    /// </summary>
    public sealed class AuthenticationChallenge
    {
        private AuthenticationChallenge(string scheme, IReadOnlyDictionary<string, string> parameters)
        {
            Scheme = scheme;
            Parameters = parameters;
        }

        public string Scheme { get; }

        /// <summary>Parameter names are case-insensitive.</summary>
        public IReadOnlyDictionary<string, string> Parameters { get; }

        public bool IsBearer => string.Equals(Scheme, "Bearer", StringComparison.OrdinalIgnoreCase);
        public bool IsBasic => string.Equals(Scheme, "Basic", StringComparison.OrdinalIgnoreCase);

        public string Realm => Get("realm");
        public string Service => Get("service");
        public string Scope => Get("scope");

        /// <summary>The RFC 6750 error code, e.g. "insufficient_scope" or "invalid_token".</summary>
        public string Error => Get("error");

        private string Get(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

        public override string ToString() => Scheme + " realm=" + Realm + " service=" + Service + " scope=" + Scope;

        /// <summary>Parses every challenge of every header value; unparseable fragments are skipped, never thrown.</summary>
        public static IReadOnlyList<AuthenticationChallenge> Parse(IEnumerable<string> headerValues)
        {
            var result = new List<AuthenticationChallenge>();
            if (headerValues == null) return result;
            foreach (var value in headerValues)
            {
                if (!string.IsNullOrWhiteSpace(value)) ParseOne(value, result);
            }
            return result;
        }

        private static void ParseOne(string text, List<AuthenticationChallenge> into)
        {
            int i = 0;
            string scheme = null;
            Dictionary<string, string> parameters = null;
            while (i < text.Length)
            {
                SkipSeparators(text, ref i);
                if (i >= text.Length) break;
                string token = ReadToken(text, ref i);
                if (token.Length == 0) { i++; continue; }   // stray character: skip it
                int afterToken = i;
                SkipSpaces(text, ref i);
                bool isParameter = i < text.Length && text[i] == '=' && scheme != null
                    && !(i + 1 < text.Length && text[i + 1] == '=' && IsToken68Tail(text, i));
                if (isParameter)
                {
                    i++; // '='
                    SkipSpaces(text, ref i);
                    string value = i < text.Length && text[i] == '"' ? ReadQuoted(text, ref i) : ReadToken(text, ref i);
                    parameters[token] = value;
                    continue;
                }
                if (scheme != null && parameters.Count == 0 && afterToken == i && i < text.Length && text[i] == '=')
                {
                    // token68 (e.g. "Negotiate abc=="): keep as an unnamed parameter and move on.
                    while (i < text.Length && text[i] == '=') i++;
                    continue;
                }
                if (scheme != null) into.Add(new AuthenticationChallenge(scheme, parameters));
                scheme = token;
                parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            }
            if (scheme != null) into.Add(new AuthenticationChallenge(scheme, parameters));
        }

        // "abc==" style token68: '=' characters running to a separator or the end.
        private static bool IsToken68Tail(string text, int i)
        {
            while (i < text.Length && text[i] == '=') i++;
            SkipSpaces(text, ref i);
            return i >= text.Length || text[i] == ',';
        }

        private static void SkipSpaces(string text, ref int i)
        {
            while (i < text.Length && (text[i] == ' ' || text[i] == '\t')) i++;
        }

        private static void SkipSeparators(string text, ref int i)
        {
            while (i < text.Length && (text[i] == ' ' || text[i] == '\t' || text[i] == ',')) i++;
        }

        private static string ReadToken(string text, ref int i)
        {
            int start = i;
            while (i < text.Length && IsTokenChar(text[i])) i++;
            return text.Substring(start, i - start);
        }

        private static bool IsTokenChar(char c)
            => c > 32 && c < 127 && c != '=' && c != ',' && c != '"' && c != ' ' && c != '\t';

        private static string ReadQuoted(string text, ref int i)
        {
            var value = new StringBuilder();
            i++; // opening quote
            while (i < text.Length && text[i] != '"')
            {
                if (text[i] == '\\' && i + 1 < text.Length) i++;
                value.Append(text[i]);
                i++;
            }
            if (i < text.Length) i++; // closing quote
            return value.ToString();
        }
    }
}
