using System;
using System.Collections.Generic;
using System.Net;

namespace DigestTools.Engine.Registry
{
    /// <summary>
    /// Where a registry named in a reference is really reached, and over which scheme: Docker Hub's
    /// aliases go to registry-1.docker.io; plain http only for loopback or registries the user named
    /// as insecure (like Docker's insecure-registries); https everywhere else.
    /// </summary>
    internal sealed class RegistryEndpoint
    {
        internal const string DockerHubHost = "registry-1.docker.io";

        private RegistryEndpoint(string registry, string host, bool plainHttp)
        {
            Registry = registry;
            Host = host;
            IsPlainHttp = plainHttp;
            BaseUri = new Uri((plainHttp ? "http://" : "https://") + host + "/");
        }

        /// <summary>The registry as the reference names it ("docker.io", "127.0.0.1:5000"): used in messages.</summary>
        internal string Registry { get; }

        /// <summary>host[:port] actually contacted.</summary>
        internal string Host { get; }

        internal bool IsPlainHttp { get; }

        internal Uri BaseUri { get; }

        internal Uri VersionCheckUri => new Uri(BaseUri, "v2/");

        internal Uri ManifestUri(string repository, string tagOrDigest)
            => new Uri(BaseUri, "v2/" + repository + "/manifests/" + tagOrDigest);

        internal static RegistryEndpoint For(string registry, IEnumerable<string> insecureRegistries)
        {
            if (string.IsNullOrWhiteSpace(registry)) throw new ArgumentException("A registry name is required.", nameof(registry));
            string host = MapHost(registry);
            bool plain = !IsDockerHub(registry) && (IsLoopback(host) || IsListed(registry, host, insecureRegistries));
            return new RegistryEndpoint(registry, host, plain);
        }

        internal static bool IsDockerHub(string registry)
            => string.Equals(registry, "docker.io", StringComparison.OrdinalIgnoreCase)
            || string.Equals(registry, "index.docker.io", StringComparison.OrdinalIgnoreCase)
            || string.Equals(registry, "registry.hub.docker.com", StringComparison.OrdinalIgnoreCase)
            || string.Equals(registry, DockerHubHost, StringComparison.OrdinalIgnoreCase);

        /// <summary>Docker Hub's names all serve from registry-1.docker.io; any other registry is itself.</summary>
        internal static string MapHost(string registry) => IsDockerHub(registry) ? DockerHubHost : registry;

        /// <summary>127.0.0.0/8, ::1 and localhost, with or without a port.</summary>
        internal static bool IsLoopback(string hostAndPort)
        {
            string host = HostOnly(hostAndPort);
            if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
            return IPAddress.TryParse(host, out IPAddress address) && IPAddress.IsLoopback(address);
        }

        /// <summary>"[::1]:5000" -> "::1", "127.0.0.1:5000" -> "127.0.0.1", "example.com" -> "example.com".</summary>
        internal static string HostOnly(string hostAndPort)
        {
            if (hostAndPort.StartsWith("[", StringComparison.Ordinal))
            {
                int close = hostAndPort.IndexOf(']');
                return close > 0 ? hostAndPort.Substring(1, close - 1) : hostAndPort;
            }
            int colon = hostAndPort.LastIndexOf(':');
            return colon >= 0 ? hostAndPort.Substring(0, colon) : hostAndPort;
        }

        // An entry names one registry exactly (host[:port]); a scheme or trailing slash the user typed is forgiven.
        private static bool IsListed(string registry, string host, IEnumerable<string> insecureRegistries)
        {
            if (insecureRegistries == null) return false;
            foreach (string raw in insecureRegistries)
            {
                if (string.IsNullOrWhiteSpace(raw)) continue;
                string entry = raw.Trim();
                if (entry.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) entry = entry.Substring(7);
                else if (entry.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) entry = entry.Substring(8);
                entry = entry.TrimEnd('/');
                if (string.Equals(entry, registry, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(entry, host, StringComparison.OrdinalIgnoreCase)) return true;
            }
            return false;
        }
    }
}
