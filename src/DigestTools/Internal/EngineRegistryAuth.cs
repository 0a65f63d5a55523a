using System.Management.Automation;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Registry;

namespace DigestTools
{
    /// <summary>
    /// The X-Registry-Auth value for a pull: from -Credential today. The Docker config lookup (credential
    /// store of the authentication work) plugs in here as the fallback when no -Credential is given.
    /// </summary>
    internal static class EngineRegistryAuth
    {
        internal static string For(PSCredential credential, string registry)
        {
            if (credential == null || credential == PSCredential.Empty) return null;
            var plain = new RegistryCredential(credential.UserName, credential.GetNetworkCredential().Password);
            return RegistryAuthHeader.Encode(plain, ServerAddress(registry));
        }

        // Docker Hub's credentials are keyed by the v1 index address; every other registry by host[:port].
        internal static string ServerAddress(string registry)
            => registry == "docker.io" ? "https://index.docker.io/v1/" : registry;
    }
}
