using System.Management.Automation;
using DigestTools.Engine.Registry;

namespace DigestTools
{
    /// <summary>-Credential to what the engine assembly takes: the one place a PSCredential's password is read.</summary>
    internal static class CredentialConversion
    {
        internal static RegistryCredential ToRegistryCredential(PSCredential credential)
            => credential == null || credential == PSCredential.Empty ? null
               : new RegistryCredential(credential.UserName, credential.GetNetworkCredential().Password);
    }
}
