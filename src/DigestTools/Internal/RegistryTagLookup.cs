using System;
using System.Management.Automation;
using DigestTools.Engine.Registry;

namespace DigestTools
{
    /// <summary>
    /// Asks the registry which digest a tag names right now. Used only to choose among several digests an
    /// engine records for one image when the engine itself did not say (Podman writes no "Digest:" line).
    /// Returns null when the registry cannot answer; callers then fall back or report AmbiguousDigest.
    /// </summary>
    internal static class RegistryTagLookup
    {
        internal static string TryResolve(DigestToolsCmdlet cmdlet, ImageReference tagged, string platform, PSCredential credential)
        {
            var options = new RegistryClientOptions
            {
                Credential = credential == null || credential == PSCredential.Empty ? null
                    : new RegistryCredential(credential.UserName, credential.GetNetworkCredential().Password),
                Log = cmdlet.Pump.Verbose,
                Warn = cmdlet.Pump.Warning,
            };
            var query = new ManifestQuery { Registry = tagged.Registry, Repository = tagged.Repository, Tag = tagged.Tag, Platform = platform };
            try
            {
                using (var client = new RegistryClient(options))
                    return cmdlet.Run(ct => client.ResolveAsync(query, ct))?.Digest;
            }
            catch (Exception e) when (e is RegistryException || e is NotImplementedException || e is System.Net.Http.HttpRequestException)
            {
                cmdlet.WriteVerbose($"The registry could not say which digest {tagged} names: {e.Message}");
                return null;
            }
        }
    }
}
