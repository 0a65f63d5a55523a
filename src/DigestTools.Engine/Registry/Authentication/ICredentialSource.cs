using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Registry.Authentication
{
    /// <summary>
    /// Finds the credential for a registry. Shared by the registry client (Authorization) and the engine
    /// client (X-Registry-Auth), so both see the same answer.
    /// </summary>
    public interface ICredentialSource
    {
        /// <summary>
        /// The credential for <paramref name="registry"/> ("docker.io", "127.0.0.1:5000", "https://host/v1/"),
        /// or null for anonymous access.
        /// </summary>
        /// <exception cref="FailureException">RegistryCredentialHelperFailed, RegistryCredentialConfigInvalid.</exception>
        RegistryCredential GetCredential(string registry);
    }
}
