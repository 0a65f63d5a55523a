using System.Threading;
using System.Threading.Tasks;
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

        /// <param name="repositoryName">registry/repository as the engine names it.</param>
        /// <exception cref="RegistryException">ManifestUnknown, RegistryAuthenticationFailed, RegistryUnreachable, ...</exception>
        public async Task<ServiceImagePin> ResolveAsync(string registry, string repository, string repositoryName, string tag, string digest,
            string sourceReference, CancellationToken cancellationToken)
        {
            string effectiveTag = tag ?? (digest == null ? "latest" : null);
            using (var client = new RegistryClient(_options))
            {
                ManifestResolution resolution = await client.ResolveAsync(
                    new ManifestQuery { Registry = registry, Repository = repository, Tag = effectiveTag, Digest = digest }, cancellationToken).ConfigureAwait(false);
                _options.Log?.Invoke(digest == null
                    ? $"{repositoryName}:{effectiveTag} names {resolution.Digest} at the registry now."
                    : $"{repositoryName}@{digest} exists at the registry.");
                return new ServiceImagePin(repositoryName, effectiveTag, digest ?? resolution.Digest, sourceReference);
            }
        }
    }
}
