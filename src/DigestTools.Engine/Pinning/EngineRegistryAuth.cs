using System;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;

namespace DigestTools.Engine.Pinning
{
    /// <summary>
    /// The X-Registry-Auth value for a pull, from the same sources as the registry client: -Credential, else the
    /// Docker config (credHelpers, credsStore, auths), else anonymous. The engine never reads the client's
    /// config itself; like the docker CLI, we send what it holds for that registry.
    /// </summary>
    public static class EngineRegistryAuth
    {
        /// <exception cref="Errors.FailureException">RegistryCredentialHelperFailed, RegistryCredentialConfigInvalid.</exception>
        public static string For(RegistryCredential credential, string registry, Action<string> log = null)
        {
            var options = new RegistryClientOptions { Credential = credential, Log = log };
            RegistryCredential found = CredentialSources.For(options).GetCredential(registry);
            return found == null ? null : RegistryAuthHeader.Encode(found, ServerAddress(registry));
        }

        // Docker Hub's credentials are keyed by the v1 index address; every other registry by host[:port].
        internal static string ServerAddress(string registry)
            => registry == "docker.io" ? "https://index.docker.io/v1/" : registry;
    }
}
