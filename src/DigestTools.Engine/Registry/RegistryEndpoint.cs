using System;
using System.Collections.Generic;
using DigestTools.Engine.Registry.Authentication;

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
            bool plain = !HostNames.IsDockerHub(registry)
                && (HostNames.IsLoopback(host) || HostNames.IsListedInsecure(registry, insecureRegistries) || HostNames.IsListedInsecure(host, insecureRegistries));
            return new RegistryEndpoint(registry, host, plain);
        }

        /// <summary>Docker Hub's names all serve from registry-1.docker.io; any other registry is itself.</summary>
        internal static string MapHost(string registry) => HostNames.IsDockerHub(registry) ? DockerHubHost : registry;
    }
}
