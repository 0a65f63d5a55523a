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
            RegistryCredential found = Find(credential, registry, log);
            return found == null ? null : RegistryAuthHeader.Encode(found, HostNames.ServerAddress(registry));
        }

        /// <summary>The same credential as Swarm takes it (a structure it forwards to every node that pulls); null for anonymous.</summary>
        /// <exception cref="Errors.FailureException">RegistryCredentialHelperFailed, RegistryCredentialConfigInvalid.</exception>
        public static RegistryAuthConfig ConfigFor(RegistryCredential credential, string registry, Action<string> log = null)
        {
            RegistryCredential found = Find(credential, registry, log);
            return found == null ? null : new RegistryAuthConfig(found.Username, found.Password, HostNames.ServerAddress(registry));
        }

        private static RegistryCredential Find(RegistryCredential credential, string registry, Action<string> log)
            => CredentialSources.For(new RegistryClientOptions { Credential = credential, Log = log }).GetCredential(registry);
    }
}
