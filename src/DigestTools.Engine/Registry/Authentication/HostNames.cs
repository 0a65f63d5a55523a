using System;
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

        public static bool IsLoopback(string host)
        {
            if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
            string bare = host.Trim('[', ']');
            return IPAddress.TryParse(bare, out var ip) && IPAddress.IsLoopback(ip);
        }
    }
}
