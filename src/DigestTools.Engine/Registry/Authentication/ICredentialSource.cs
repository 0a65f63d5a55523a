using System.Threading;
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
        /// <param name="cancellationToken">Stops a credential helper that is running (it is ended at once).</param>
        /// <exception cref="FailureException">RegistryCredentialHelperFailed, RegistryCredentialHelperTimeout,
        /// RegistryCredentialHelperStopped, RegistryCredentialConfigInvalid.</exception>
        RegistryCredential GetCredential(string registry, CancellationToken cancellationToken = default);
    }
}
