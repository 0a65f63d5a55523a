using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
using DigestTools.Engine.Swarm;

namespace DigestTools
{
    /// <summary>
    /// What the service cmdlets need from the registry: a resolver that pins a reference once (the module's
    /// own registry client: -Credential, then the Docker config), and the same credential for Swarm, which
    /// hands it to every node that pulls (docker's --with-registry-auth).
    /// </summary>
    internal sealed class ServiceRegistryAccess
    {
        private readonly RegistryClientOptions _options;

        internal ServiceRegistryAccess(DigestToolsCmdlet cmdlet, PSCredential credential)
        {
            _options = new RegistryClientOptions
            {
                Credential = credential == null || credential == PSCredential.Empty ? null
                    : new RegistryCredential(credential.UserName, credential.GetNetworkCredential().Password),
                InsecureRegistries = InsecureRegistries(),
                Log = cmdlet.Pump.Verbose,
                Warn = cmdlet.Pump.Warning,
            };
        }

        internal ServiceImageResolver Resolver => new ServiceImageResolver(_options);

        /// <summary>The credential for the reference's registry, or null (anonymous pulls).</summary>
        /// <exception cref="RegistryException">RegistryCredentialHelperFailed, RegistryCredentialConfigInvalid.</exception>
        internal RegistryAuthConfig AuthFor(ImageReference reference)
        {
            RegistryCredential found = CredentialSources.For(_options).GetCredential(reference.Registry);
            return found == null ? null : new RegistryAuthConfig(found.Username, found.Password, EngineRegistryAuth.ServerAddress(reference.Registry));
        }

        /// <summary>Resolves the reference at the registry: its tag now (or its digest, checked to exist).</summary>
        internal ServiceImagePin Resolve(DigestToolsCmdlet cmdlet, ImageReference reference, string sourceReference)
            => cmdlet.Run(ct => Resolver.ResolveAsync(reference.Registry, reference.Repository, reference.Name, reference.Tag, reference.Digest, sourceReference, ct));

        private static List<string> InsecureRegistries()
        {
            string fromEnvironment = Environment.GetEnvironmentVariable(GetImageDigestCommand.InsecureRegistriesVariable);
            return string.IsNullOrWhiteSpace(fromEnvironment) ? new List<string>()
                : fromEnvironment.Split(',').Select(r => r.Trim()).Where(r => r.Length > 0).ToList();
        }
    }
}
