using System;
using System.Collections.Generic;
using System.Net;

namespace DigestTools.Engine.Registry.Authentication
{
    /// <summary>
    /// Host spellings for credentials: the Docker config keys a registry as "host", "https://host" or
    /// "https://host/v1/", and Docker Hub (docker.io, index.docker.io, registry-1.docker.io ...) as
    /// "https://index.docker.io/v1/".
    /// </summary>
    public static class HostNames
    {
        /// <summary>The key and server URL Docker uses for Docker Hub credentials.</summary>
        public const string DockerHubServerAddress = "https://index.docker.io/v1/";

        /// <summary>"host[:port]" of a URI, the port only when it is not the scheme's default.</summary>
        public static string Authority(Uri uri) => uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port;

        /// <summary>Same scheme, host and port: the unit credentials and challenges belong to.</summary>
        public static bool SameOrigin(Uri a, Uri b)
            => Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

        public static bool IsDockerHub(string registry)
        {
            string host = Normalize(registry);
            return host == "docker.io" || host == "index.docker.io" || host == "registry-1.docker.io" || host == "registry.hub.docker.com";
        }

        /// <summary>The server address Docker tools use for a registry: the Hub URL for Docker Hub, else host[:port].</summary>
        public static string ServerAddress(string registry)
            => IsDockerHub(registry) ? DockerHubServerAddress : Normalize(registry);

        /// <summary>
        /// A config key or registry name reduced to lowercase host[:port]: scheme and path dropped, as Docker does.
        /// </summary>
        public static string Normalize(string keyOrHost)
        {
            if (string.IsNullOrWhiteSpace(keyOrHost)) return string.Empty;
            string s = keyOrHost.Trim();
            int scheme = s.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0) s = s.Substring(scheme + 3);
            int slash = s.IndexOf('/');
            if (slash >= 0) s = s.Substring(0, slash);
            return s.ToLowerInvariant();
        }

        /// <summary>True when two spellings name the same registry for credential purposes.</summary>
        public static bool SameRegistry(string a, string b)
        {
            if (IsDockerHub(a) && IsDockerHub(b)) return true;
            return string.Equals(Normalize(a), Normalize(b), StringComparison.Ordinal);
        }

        /// <summary>127.0.0.0/8, ::1 and localhost, with or without a port ("[::1]:5000", "127.0.0.1:5000").</summary>
        public static bool IsLoopback(string hostOrAuthority)
        {
            string host = HostOnly(hostOrAuthority);
            if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
            return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
        }

        /// <summary>"[::1]:5000" -> "::1", "127.0.0.1:5000" -> "127.0.0.1", "::1" -> "::1", "example.com" -> "example.com".</summary>
        public static string HostOnly(string hostOrAuthority)
        {
            if (hostOrAuthority.StartsWith("[", StringComparison.Ordinal))
            {
                int close = hostOrAuthority.IndexOf(']');
                return close > 0 ? hostOrAuthority.Substring(1, close - 1) : hostOrAuthority;
            }
            int colon = hostOrAuthority.LastIndexOf(':');
            // More than one colon without brackets is a bare IPv6 address, not host:port.
            return colon >= 0 && hostOrAuthority.IndexOf(':') == colon ? hostOrAuthority.Substring(0, colon) : hostOrAuthority;
        }

        /// <summary>
        /// True when <paramref name="authority"/> (host[:port]) is in the user's insecure list (-InsecureRegistry,
        /// DIGESTTOOLS_INSECURE_REGISTRIES). An entry names one host[:port] exactly; a scheme or trailing slash
        /// the user typed is forgiven.
        /// </summary>
        public static bool IsListedInsecure(string authority, IEnumerable<string> insecureRegistries)
        {
            if (insecureRegistries == null || string.IsNullOrEmpty(authority)) return false;
            foreach (string raw in insecureRegistries)
            {
                if (string.IsNullOrWhiteSpace(raw)) continue;
                string entry = raw.Trim();
                if (entry.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) entry = entry.Substring(7);
                else if (entry.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) entry = entry.Substring(8);
                if (string.Equals(entry.TrimEnd('/'), authority, StringComparison.OrdinalIgnoreCase)) return true;
            }
            return false;
        }
    }
}
