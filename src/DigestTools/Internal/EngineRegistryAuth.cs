using System;
using System.Management.Automation;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;

namespace DigestTools
{
    /// <summary>
    /// The X-Registry-Auth value for a pull, from the same sources as the registry client: -Credential, else the
    /// Docker config (credHelpers, credsStore, auths), else anonymous. The engine never reads the client's
    /// config itself; like the docker CLI, we send what it holds for that registry.
    /// </summary>
    internal static class EngineRegistryAuth
    {
        /// <exception cref="EngineException">RegistryCredentialHelperFailed, RegistryCredentialConfigInvalid.</exception>
        internal static string For(PSCredential credential, string registry, Action<string> log = null)
        {
            var options = new RegistryClientOptions
            {
                Credential = credential == null || credential == PSCredential.Empty ? null
                    : new RegistryCredential(credential.UserName, credential.GetNetworkCredential().Password),
                Log = log,
            };
            RegistryCredential found;
            try
            {
                found = CredentialSources.For(options).GetCredential(registry);
            }
            catch (RegistryException e)
            {
                throw new EngineException(e.ErrorId, e.Category, e.Message, e);
            }
            return found == null ? null : RegistryAuthHeader.Encode(found, HostNames.ServerAddress(registry));
        }
    }
}
