using System;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Workflow;

namespace DigestTools.Engine.Pinning
{
    /// <summary>
    /// Asks the registry which digest a tag names right now. Used only to choose among several digests an
    /// engine records for one image when the engine itself did not say (Podman writes no "Digest:" line).
    /// Returns null when the registry cannot answer; callers then fall back or report AmbiguousDigest.
    /// </summary>
    internal static class RegistryTagLookup
    {
        internal static async Task<string> TryResolveAsync(ParsedReference tagged, string platform, RegistryCredential credential,
            IWorkflowLog log, CancellationToken cancellationToken)
        {
            var options = new RegistryClientOptions { Credential = credential, Log = log.Verbose, Warn = log.Warning };
            var query = new ManifestQuery { Registry = tagged.Registry, Repository = tagged.Repository, Tag = tagged.Tag, Platform = platform };
            try
            {
                using (var client = new RegistryClient(options))
                    return (await client.ResolveAsync(query, cancellationToken).ConfigureAwait(false))?.Digest;
            }
            catch (Exception e) when (e is FailureException || e is NotImplementedException || e is System.Net.Http.HttpRequestException)
            {
                log.Verbose($"The registry could not say which digest {tagged} names: {e.Message}");
                return null;
            }
        }
    }
}
