using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Registry
{
    /// <summary>
    /// "Does this digest still resolve?" A digest is checked by digest (never re-resolved); for an index the child
    /// manifest for the wanted platform must resolve too, since that child is what an engine actually runs.
    /// Only ManifestUnknown means gone; every other failure (auth, network, ...) is thrown: the registry could not be asked.
    /// </summary>
    public sealed class ManifestPresenceCheck
    {
        private readonly RegistryClient _client;

        public ManifestPresenceCheck(RegistryClient client) => _client = client;

        /// <param name="query">Registry, Repository, Digest (required) and Platform (for an index; null: the default platform).</param>
        /// <exception cref="FailureException">Any failure but ManifestUnknown.</exception>
        public async Task<ManifestPresence> CheckAsync(ManifestQuery query, CancellationToken cancellationToken)
        {
            var presence = new ManifestPresence { Digest = query.Digest };
            ManifestResolution resolution = await TryResolveAsync(query, cancellationToken).ConfigureAwait(false);
            if (resolution == null)
            {
                presence.MissingDigest = query.Digest;
                return presence;
            }
            presence.MediaType = resolution.MediaType;
            if (!ManifestMediaTypes.IsIndex(resolution.MediaType))
            {
                presence.PlatformDigest = resolution.Digest;
                return presence;
            }
            var child = new ManifestQuery { Registry = query.Registry, Repository = query.Repository, Digest = resolution.PlatformDigest };
            if (await TryResolveAsync(child, cancellationToken).ConfigureAwait(false) == null) presence.MissingDigest = resolution.PlatformDigest;
            else presence.PlatformDigest = resolution.PlatformDigest;
            return presence;
        }

        private async Task<ManifestResolution> TryResolveAsync(ManifestQuery query, CancellationToken cancellationToken)
        {
            try { return await _client.ResolveAsync(query, cancellationToken).ConfigureAwait(false); }
            catch (FailureException e) when (e.Kind == ErrorCatalog.ManifestUnknown) { return null; }
        }
    }
}
