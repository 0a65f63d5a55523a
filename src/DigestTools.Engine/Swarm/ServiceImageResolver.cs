using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;

namespace DigestTools.Engine.Swarm
{
    /// <summary>
    /// Resolves a service's reference ONCE, at the registry (as the docker CLI does before it calls the API):
    /// a tag becomes the digest it names now, the whole image (a multi-platform index stays an index, so
    /// nodes of any platform pick their own manifest). A digest given is checked to exist and kept.
    /// </summary>
    public sealed class ServiceImageResolver
    {
        private readonly RegistryClientOptions _options;

        public ServiceImageResolver(RegistryClientOptions options) => _options = options;

        /// <param name="sourceReference">What the io.digesttools.source-reference label will say; the reference itself when null.</param>
        /// <exception cref="FailureException">ManifestUnknown, RegistryAuthenticationFailed, RegistryUnreachable, ...</exception>
        public async Task<ServiceImagePin> ResolveAsync(ParsedReference reference, string sourceReference, CancellationToken cancellationToken)
        {
            string tag = reference.Tag ?? (reference.Digest == null ? ParsedReference.DefaultTag : null);
            using (var client = new RegistryClient(_options))
            {
                ManifestResolution resolution = await client.ResolveAsync(
                    new ManifestQuery { Registry = reference.Registry, Repository = reference.Repository, Tag = tag, Digest = reference.Digest }, cancellationToken).ConfigureAwait(false);
                _options.Log?.Invoke(reference.Digest == null
                    ? $"{reference.Name}:{tag} names {resolution.Digest} at the registry now."
                    : $"{reference.Name}@{reference.Digest} exists at the registry.");
                return new ServiceImagePin(reference.Registry, reference.Name, tag, reference.Digest ?? resolution.Digest, sourceReference ?? reference.ToString());
            }
        }
    }
}
