using System.Threading;

namespace DigestTools.Engine.Registry.Authentication
{
    /// <summary>The credential the user passed (-Credential): used for every registry of the call.</summary>
    public sealed class ExplicitCredentialSource : ICredentialSource
    {
        private readonly RegistryCredential _credential;

        public ExplicitCredentialSource(RegistryCredential credential) => _credential = credential;

        public RegistryCredential GetCredential(string registry, CancellationToken cancellationToken = default) => _credential;
    }
}
