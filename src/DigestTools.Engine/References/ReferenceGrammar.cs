using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DigestTools.Engine.References
{
    /// <summary>
    /// A hand-written parser for the distribution/reference grammar with Docker's normalization
    /// (familiar "ubuntu" to canonical "docker.io/library/ubuntu"). Hand-written rather than a regex so
    /// that parsing costs a few substrings, and so each failure can say which production was broken.
    ///   reference := name [ ":" tag ] [ "@" digest ]
    ///   name      := [ domain "/" ] remote-name
    /// Every rule method returns null when its input is valid, or the problem as a phrase.
    /// </summary>
    internal static class ReferenceGrammar
    {
        internal const string DefaultRegistry = "docker.io";
        internal const string LegacyDefaultRegistry = "index.docker.io";
        internal const string OfficialRepositoryPrefix = "library/";
        internal const string LocalHost = "localhost";
        internal const int MaxPathLength = 255;
        internal const int MaxTagLength = 128;

        // Longer inputs are cut in messages: a message is read by a person, not parsed.
        private const int MaxQuotedLength = 300;

        /// <summary>The normalized pieces of a valid reference.</summary>
        internal struct Parts
        {
            internal string Registry;
            internal string Repository;
            internal string Tag;
            internal string Digest;
        }

        /// <summary>Parses and normalizes <paramref name="input"/>; null on success, else the problem.</summary>
        internal static string Parse(string input, out Parts parts)
        {
            parts = default(Parts);
            if (string.IsNullOrEmpty(input)) return "the reference is empty";

            string problem = Characters(input) ?? NotAnImageId(input);
            if (problem != null) return problem;

            SplitDigest(input, out string rest, out string digest);
            SplitTag(rest, out string name, out string tag);
            if (name.Length == 0) return "the repository name is missing";

            problem = Name(name, out string registry, out string repository)
                ?? (tag == null ? null : Tag(tag))
                ?? (digest == null ? null : Digest(digest))
                ?? NotABareDigest(name, tag, digest);
            if (problem != null) return problem;

            parts.Registry = registry;
            parts.Repository = repository;
            parts.Tag = tag;
            parts.Digest = digest;
            return null;
        }

        /// <summary>The sentence a FormatException carries: the problem, with the input quoted.</summary>
        internal static string Describe(string kind, string input, string problem)
            => "Invalid " + kind + " '" + Quote(input) + "': " + problem + ".";

        /// <summary>The input made safe to print: control characters escaped, long inputs shortened.</summary>
        internal static string Quote(string input)
        {
            if (input == null) return "";
            int shown = System.Math.Min(input.Length, MaxQuotedLength);
            var text = new StringBuilder(shown + 32);
            for (int i = 0; i < shown; i++)
            {
                char c = input[i];
                switch (c)
                {
                    case '\n': text.Append("\\n"); break;
                    case '\r': text.Append("\\r"); break;
                    case '\t': text.Append("\\t"); break;
                    default:
                        if (char.IsControl(c) || char.IsSurrogate(c) || c == '\u2028' || c == '\u2029') text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else text.Append(c);
                        break;
                }
            }
            if (input.Length > shown) text.Append("... (").Append(input.Length - shown).Append(" more characters)");
            return text.ToString();
        }

        // ---- reference := name [ ":" tag ] [ "@" digest ] -------------------------------------------

        // Only printable ASCII can appear anywhere in a reference; rejecting the rest up front keeps
        // Unicode digits, whitespace and line breaks out of every later rule.
        private static string Characters(string input)
        {
            for (int i = 0; i < input.Length; i++)
            {
                char c = input[i];
                if (IsReferenceCharacter(c)) continue;
                return "invalid character " + DescribeCharacter(c) + " at position " + (i + 1) +
                    "; references use only ASCII letters, digits and . _ - : / @ [ ]";
            }
            return null;
        }

        private static string DescribeCharacter(char c)
        {
            string code = "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
            if (c == ' ') return "' ' (a space)";
            if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029') return code + " (a line break)";
            if (char.IsWhiteSpace(c)) return code + " (whitespace)";
            if (char.IsControl(c) || char.IsSurrogate(c)) return code;
            return "'" + c + "' (" + code + ")";
        }

        // Docker refuses a bare 64-hex string: it is an image id, and accepting it as a repository name
        // would send the user to a registry for an image that is only local.
        private static string NotAnImageId(string input)
        {
            if (!ReadsAsImageId(input)) return null;
            return "a 64-character hexadecimal string is an image id, not a repository name; " +
                "to pin an image write name@sha256:<hex>";
        }

        // "sha256:<hex>" is grammatically library/sha256 with a hex tag, but nobody means that: it is a
        // digest or an image id pasted without its repository.
        private static string NotABareDigest(string name, string tag, string digest)
        {
            if (digest != null || !ReadsAsBareDigest(name, tag)) return null;
            return "this is a digest or an image id without a repository name; write name@" + name + ":<hex>";
        }

        internal static bool ReadsAsImageId(string name) => DigestFormat.IsHex(name, 64);

        internal static bool ReadsAsBareDigest(string name, string tag)
        {
            int hexLength = DigestFormat.HexLength(name);
            return hexLength != 0 && DigestFormat.IsHex(tag, hexLength);
        }

        /// <summary>
        /// True when <paramref name="firstComponent"/> would be read as a registry host rather than as the
        /// start of a Docker Hub path (the familiar form must not drop docker.io/ before such a path).
        /// </summary>
        internal static bool LooksLikeDomain(string firstComponent) =>
            firstComponent.IndexOf('.') >= 0 || firstComponent.IndexOf(':') >= 0 || firstComponent == LocalHost ||
            HasUppercase(firstComponent) || firstComponent.StartsWith("[", System.StringComparison.Ordinal);

        // '@' cannot occur in a name or a tag, so the first one starts the digest.
        private static void SplitDigest(string input, out string rest, out string digest)
        {
            int at = input.IndexOf('@');
            rest = at < 0 ? input : input.Substring(0, at);
            digest = at < 0 ? null : input.Substring(at + 1);
        }

        // A ':' is a tag separator only after the last '/': in "host:5000/app" it belongs to the domain.
        private static void SplitTag(string rest, out string name, out string tag)
        {
            int colon = rest.LastIndexOf(':');
            if (colon >= 0 && colon > rest.LastIndexOf('/'))
            {
                name = rest.Substring(0, colon);
                tag = rest.Substring(colon + 1);
            }
            else
            {
                name = rest;
                tag = null;
            }
        }

        // ---- name := [ domain "/" ] remote-name, with Docker's normalization ------------------------

        private static string Name(string name, out string registry, out string repository)
        {
            repository = null;
            SplitDomain(name, out registry, out string path);
            if (registry != null)
            {
                string problem = Domain(registry);
                if (problem != null) return problem;
                if (path.Length == 0) return "the repository path after registry '" + registry + "' is missing";
            }
            else
            {
                registry = DefaultRegistry;
            }

            // Checked on the path as written, before "library/" is added, so the message shows the user's text.
            if (HasUppercase(path)) return "repository name must be lowercase ('" + path + "')";

            if (registry == LegacyDefaultRegistry) registry = DefaultRegistry;
            if (registry == DefaultRegistry && path.IndexOf('/') < 0) path = OfficialRepositoryPrefix + path;

            repository = path;
            return RemoteName(path);
        }

        // The first component is a domain only if it has '.', ':' or uppercase, or is exactly localhost;
        // otherwise the whole name is a path on Docker Hub ("test_com/foo", "myorg/app"). A leading '['
        // cannot start a path either: treating it as a domain only makes "[]/x" report a bad IPv6 host.
        private static void SplitDomain(string name, out string domain, out string path)
        {
            int slash = name.IndexOf('/');
            if (slash >= 0)
            {
                string first = name.Substring(0, slash);
                if (LooksLikeDomain(first))
                {
                    domain = first;
                    path = name.Substring(slash + 1);
                    return;
                }
            }
            domain = null;
            path = name;
        }

        // domain := host [ ":" port-number ];  host := domain-name | "[" IPv6address "]"
        private static string Domain(string domain)
        {
            string host;
            string port = null;
            if (domain[0] == '[')
            {
                int close = domain.IndexOf(']');
                if (close < 0) return "invalid registry '" + domain + "': an IPv6 address needs a closing ']'";
                host = domain.Substring(0, close + 1);
                string after = domain.Substring(close + 1);
                if (after.Length > 0)
                {
                    if (after[0] != ':') return "invalid registry '" + domain + "': only ':port' may follow an IPv6 address";
                    port = after.Substring(1);
                }
                string problem = IPv6Host(host);
                if (problem != null) return problem;
            }
            else
            {
                int colon = domain.IndexOf(':');
                host = colon < 0 ? domain : domain.Substring(0, colon);
                if (colon >= 0) port = domain.Substring(colon + 1);
                string problem = DomainName(host, domain);
                if (problem != null) return problem;
            }
            return port == null ? null : PortNumber(port, domain);
        }

        // domain-name := domain-component ( "." domain-component )*
        private static string DomainName(string host, string domain)
        {
            if (host.Length == 0) return "invalid registry '" + domain + "': the host name is missing";
            foreach (string component in host.Split('.'))
            {
                if (!IsDomainComponent(component))
                {
                    return "invalid registry host '" + host + "': each dot-separated part has letters, digits " +
                        "and inner '-' only";
                }
            }
            return null;
        }

        // domain-component := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
        private static bool IsDomainComponent(string component)
        {
            if (component.Length == 0) return false;
            if (!IsAsciiLetterOrDigit(component[0]) || !IsAsciiLetterOrDigit(component[component.Length - 1])) return false;
            foreach (char c in component)
            {
                if (!IsAsciiLetterOrDigit(c) && c != '-') return false;
            }
            return true;
        }

        // "[" IPv6address "]", without zone ids (the '%' was already refused as a character).
        private static string IPv6Host(string host)
        {
            string address = host.Substring(1, host.Length - 2);
            bool hexAndColons = address.Length > 0;
            foreach (char c in address)
            {
                if (!(IsHexDigit(c) || c == ':')) hexAndColons = false;
            }
            if (hexAndColons && IPAddress.TryParse(address, out IPAddress parsed) && parsed.AddressFamily == AddressFamily.InterNetworkV6)
            {
                return null;
            }
            return "invalid IPv6 address '" + host + "'";
        }

        // port-number := [0-9]+, and a port a connection can use (1-65535).
        private static string PortNumber(string port, string domain)
        {
            if (port.Length == 0) return "invalid registry '" + domain + "': the port after ':' is missing";
            int value = 0;
            foreach (char c in port)
            {
                if (c < '0' || c > '9') return "invalid port '" + port + "' in registry '" + domain + "'";
                // Stop accumulating once out of range so a long run of digits cannot overflow.
                if (value <= 65535) value = value * 10 + (c - '0');
            }
            if (value < 1 || value > 65535) return "port " + port + " of registry '" + domain + "' is out of range (1-65535)";
            return null;
        }

        // remote-name := path-component ( "/" path-component )*, at most 255 characters.
        private static string RemoteName(string path)
        {
            foreach (string component in path.Split('/'))
            {
                if (component.Length == 0)
                {
                    return "the repository path '" + path + "' has an empty component (a leading, trailing or doubled '/')";
                }
                string problem = PathComponent(component);
                if (problem != null) return problem;
            }
            if (path.Length > MaxPathLength)
            {
                return "the repository path is " + path.Length + " characters long; at most " + MaxPathLength + " are allowed";
            }
            return null;
        }

        // path-component := alpha-numeric ( separator alpha-numeric )*
        // alpha-numeric := [a-z0-9]+;  separator := [._] | "__" | "-"+
        private static string PathComponent(string component)
        {
            int i = 0;
            while (true)
            {
                int runStart = i;
                while (i < component.Length && IsLowerAlphaNumeric(component[i])) i++;
                if (i == runStart)
                {
                    return i == 0
                        ? "repository path component '" + component + "' must start with a lowercase letter or digit"
                        : "repository path component '" + component + "' must end with a lowercase letter or digit";
                }
                if (i == component.Length) return null;

                int separatorStart = i;
                SkipSeparator(component, ref i);
                if (i < component.Length && IsSeparatorCharacter(component[i]))
                {
                    string separator = component.Substring(separatorStart, SeparatorRunLength(component, separatorStart));
                    return "invalid separator '" + separator + "' in repository path component '" + component +
                        "': use one '.', one or two '_', or dashes";
                }
                // Also where no separator was consumed: the character that ended the run is no separator.
                if (i < component.Length && !IsLowerAlphaNumeric(component[i]))
                {
                    return "invalid character '" + component[i] + "' in repository path component '" + component + "'";
                }
            }
        }

        // Consumes one separator at i ('.', '_' or "__", a run of '-'); leaves i where it is at any other character.
        private static void SkipSeparator(string component, ref int i)
        {
            char c = component[i];
            if (c == '.') i++;
            else if (c == '_')
            {
                i++;
                if (i < component.Length && component[i] == '_') i++;
            }
            else if (c == '-')
            {
                while (i < component.Length && component[i] == '-') i++;
            }
        }

        private static int SeparatorRunLength(string component, int start)
        {
            int end = start;
            while (end < component.Length && IsSeparatorCharacter(component[end])) end++;
            return end - start;
        }

        private static bool IsSeparatorCharacter(char c) => c == '.' || c == '_' || c == '-';

        // ---- tag and digest ---------------------------------------------------------------------

        // tag := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
        private static string Tag(string tag)
        {
            if (tag.Length == 0) return "the tag after ':' is empty";
            if (tag.Length > MaxTagLength)
            {
                return "the tag is " + tag.Length + " characters long; at most " + MaxTagLength + " are allowed";
            }
            if (!IsWordCharacter(tag[0]))
            {
                return "invalid tag '" + tag + "': a tag starts with a letter, a digit or '_'";
            }
            foreach (char c in tag)
            {
                if (!IsWordCharacter(c) && c != '.' && c != '-')
                {
                    return "invalid tag '" + tag + "': '" + c + "' is not allowed (letters, digits, '_', '.' and '-' are)";
                }
            }
            return null;
        }

        private static string Digest(string digest)
        {
            if (digest.Length == 0) return "the digest after '@' is empty";
            return DigestFormat.Validate(digest);
        }

        // ---- character classes (ASCII only: char.IsDigit and friends accept Unicode) ------------

        // Everything any production can contain; '+' and '=' occur only in digests of other algorithms.
        private static bool IsReferenceCharacter(char c) =>
            IsAsciiLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == ':' || c == '/' || c == '@' ||
            c == '[' || c == ']' || c == '+' || c == '=';

        private static bool HasUppercase(string value)
        {
            foreach (char c in value)
            {
                if (c >= 'A' && c <= 'Z') return true;
            }
            return false;
        }

        private static bool IsLowerAlphaNumeric(char c) => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

        private static bool IsAsciiLetterOrDigit(char c) => IsLowerAlphaNumeric(c) || (c >= 'A' && c <= 'Z');

        private static bool IsWordCharacter(char c) => IsAsciiLetterOrDigit(c) || c == '_';

        private static bool IsHexDigit(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
