using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Fleet;
using DigestTools.Engine.Pinning;

namespace DigestTools
{
    // Get-ImageDigest -Local [-Filter <wildcard>...] [-All]: `docker images --digests` as objects, from the engine's image list.
    // Rows for images built or loaded locally and never pulled have Digest $null and Status NoRegistryDigest
    // (Docker; Podman records a digest of its local manifest for such images, so they look pinned there).
    // Default: one row per repository:tag with the first digest the engine lists for that repository; -All:
    // every tag x digest combination, exactly the rows of `docker images --digests`.
    [OutputType(typeof(LocalImageDigest), ParameterSetName = new[] { LocalSet })]
    public sealed partial class GetImageDigestCommand
    {
        private EngineSession _localEngine;
        private readonly List<WildcardPattern> _localFilters = new List<WildcardPattern>();

        /// <summary>List the digests of images in the local engine instead of asking a registry.</summary>
        [Parameter(ParameterSetName = LocalSet, Mandatory = true)]
        public SwitchParameter Local { get; set; }

        /// <summary>Every repository/tag/digest combination (RepoDigests accumulate), as `docker images --digests` shows.</summary>
        [Parameter(ParameterSetName = LocalSet)]
        public SwitchParameter All { get; set; }

        /// <summary>The engine to ask (see Invoke-ImagePull -EngineUri); DOCKER_HOST / DOCKER_CONTEXT otherwise. Several: every engine's images, one error per failing engine.</summary>
        [Parameter(ParameterSetName = LocalSet)]
        [ValidateNotNullOrEmpty]
        public string[] EngineUri { get; set; }

        /// <summary>Wildcard patterns matched against repository, repository:tag and repository@digest.</summary>
        [Parameter(ParameterSetName = LocalSet, Position = 0, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(LocalImageCompleter))]
        public string[] Filter { get; set; }

        // Patterns may arrive by pipeline; the engine's list is read once, at the end.
        partial void ProcessLocalRecord()
        {
            if (Filter == null) return;
            foreach (string pattern in Filter.Where(f => !string.IsNullOrWhiteSpace(f)))
                _localFilters.Add(new WildcardPattern(pattern.Trim(), WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant));
        }

        partial void EndLocalProcessing()
        {
            if (EngineUri != null && EngineUri.Length > 1) { ListEveryEngine(); return; }
            using (_localEngine = new EngineSession(this, EngineUri?[0], TimeSpan.FromSeconds(TimeoutSec)))
            {
                EngineClient engine = _localEngine.Client;
                IReadOnlyList<EngineImage> images;
                try
                {
                    images = Run(ct => engine.ListImagesAsync(ct));
                }
                catch (FailureException e)
                {
                    ThrowTerminatingError(ErrorRecords.From(e, engine.Endpoint.Address.OriginalString));
                    return;
                }
                foreach (LocalDigestRow row in LocalDigestRows.Build(images, All.IsPresent))
                    if (Matches(row)) WriteObject(LocalImageDigest.From(row, engine.Endpoint.Address.OriginalString));
            }
        }

        // Every engine's list at once, in the order of the addresses; an engine that fails is its own error.
        private void ListEveryEngine()
        {
            using (var session = new FleetSession(this, EngineUri, TimeSpan.FromSeconds(TimeoutSec)))
            {
                EngineFleet fleet = session.Fleet;
                foreach (FleetOutcome<IReadOnlyList<EngineImage>> outcome in Run(ct => fleet.OnEachAsync(e => e.Client.ListImagesAsync(ct))))
                {
                    if (outcome.Failure != null) { WriteError(FleetErrors.For(outcome)); continue; }
                    foreach (LocalDigestRow row in LocalDigestRows.Build(outcome.Result, All.IsPresent))
                        if (Matches(row)) WriteObject(LocalImageDigest.From(row, outcome.Engine.Address));
                }
            }
        }

        private bool Matches(LocalDigestRow row)
        {
            if (_localFilters.Count == 0) return true;
            string[] names = { row.Repository, row.Reference, row.Repository + "@" + row.Digest, row.PinnedReference, row.ImageId };
            return _localFilters.Any(p => names.Any(n => n != null && p.IsMatch(n)));
        }
    }
}
