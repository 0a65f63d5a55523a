using System.Management.Automation;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Swarm;

namespace DigestTools
{
    /// <summary>
    /// What the engine cmdlets need from the registry when they resolve a tag once for many engines or nodes:
    /// the module's own registry client settings (-Credential, then the Docker config; insecure registries
    /// from the environment), and the same credential for Swarm, which hands it to every node that pulls
    /// (docker's --with-registry-auth).
    /// </summary>
    internal sealed class RegistryAccess
    {
        private readonly RegistryClientOptions _options;

        internal RegistryClientOptions Options => _options;

        /// <remarks>Each registry request is bounded at 30 s: these cmdlets' -TimeoutSec concerns the engine or -Wait.</remarks>
        internal RegistryAccess(DigestToolsCmdlet cmdlet, PSCredential credential)
            => _options = RegistryOptions.For(credential, null, DefaultTimeoutSec, cmdlet.Log);

        private const int DefaultTimeoutSec = 30;

        internal ServiceImageResolver Resolver => new ServiceImageResolver(_options);

        /// <summary>The credential for the registry, or null (anonymous pulls).</summary>
        /// <exception cref="FailureException">RegistryCredentialHelperFailed, RegistryCredentialConfigInvalid.</exception>
        internal RegistryAuthConfig AuthFor(string registry) => EngineRegistryAuth.ConfigFor(_options.Credential, registry, _options.Log);
    }
}
