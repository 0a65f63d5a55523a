using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Workflow;

namespace DigestTools.Engine.Pinning
{
    /// <summary>
    /// Pulls one reference through the engine and proves the result: afterwards the image's RepoDigests must
    /// contain repository@digest. Shared by Invoke-ImagePull and New-PinnedContainer.
    /// </summary>
    public sealed class ImagePuller
    {
        private readonly EngineClient _engine;
        private readonly IWorkflowLog _log;

        public ImagePuller(EngineClient engine, IWorkflowLog log)
        {
            _engine = engine;
            _log = log;
        }

        /// <summary>
        /// Pulls by digest when the reference has one (name:tag@digest pulls the digest, as docker does), else by
        /// tag ("latest" when none). Throws FailureException (ManifestUnknown, PullFailed, DigestMismatch...).
        /// </summary>
        public async Task<PullResult> PullAsync(ParsedReference reference, string platform, RegistryCredential credential, CancellationToken cancellationToken)
        {
            string registryAuth = EngineRegistryAuth.For(credential, reference.Registry, _log.Verbose);
            string tagOrDigest = reference.Digest ?? reference.TagOrLatest;
            var request = new ImagePullRequest { Repository = reference.Name, TagOrDigest = tagOrDigest, Platform = platform, RegistryAuth = registryAuth };
            string display = reference.ToString();
            ImagePullOutcome outcome;
            using (IPullProgress progress = _log.BeginPull(display))
                outcome = await _engine.PullAsync(request, progress.Report, cancellationToken).ConfigureAwait(false);

            string lookup = reference.Digest != null ? reference.Name + "@" + reference.Digest : reference.Name + ":" + tagOrDigest;
            EngineImage image = await _engine.InspectImageAsync(lookup, cancellationToken).ConfigureAwait(false)
                ?? throw new FailureException(ErrorCatalog.PullNotVerified, $"The engine reported a successful pull of {display} but has no image {lookup} afterwards.");
            string[] digests = DigestsFor(image, reference.Name);

            string digest;
            if (reference.Digest != null)
            {
                digest = reference.Digest;
                if (outcome.StreamDigest != null && !string.Equals(outcome.StreamDigest, digest, StringComparison.Ordinal))
                    throw DigestMismatch(display, digest, outcome.StreamDigest);
            }
            else if (outcome.StreamDigest != null)
            {
                digest = outcome.StreamDigest;   // Docker says which manifest the tag gave it
            }
            else if (digests.Length == 1)
            {
                digest = digests[0];             // Podman says nothing; the image then knows one digest for the repository
            }
            else if (digests.Length == 0)
            {
                throw new FailureException(ErrorCatalog.NoRegistryDigest, $"After pulling {display} the engine records no registry digest for {reference.Name}, so the image cannot be pinned.");
            }
            else
            {
                // Podman writes no "Digest:" line, and an image pulled under several manifests (index and platform
                // manifest, OCI and Docker forms) carries them all: the registry says which one the tag names.
                digest = await RegistryTagLookup.TryResolveAsync(reference, platform, credential, _log, cancellationToken).ConfigureAwait(false);
                if (digest == null || !digests.Contains(digest, StringComparer.Ordinal))
                    throw new FailureException(ErrorCatalog.AmbiguousDigest, $"After pulling {display} the engine records several digests for {reference.Name} ({string.Join(", ", digests)}) and did not say which one the tag named"
                        + (digest == null ? "; the registry could not be asked." : $"; the registry now names {digest}, none of them (the tag moved).")
                        + " Resolve the tag with Get-ImageDigest and pull by digest.");
            }

            if (!digests.Contains(digest, StringComparer.Ordinal))
                throw DigestMismatch(display, digest, digests.Length == 0 ? "none" : string.Join(", ", digests));

            return new PullResult
            {
                Reference = display,
                Repository = reference.Name,
                Tag = reference.Tag,
                Digest = digest,
                PinnedReference = reference.Name + "@" + digest,
                ImageId = image.Id,
                RepoTags = image.RepoTags.ToArray(),
                RepoDigests = image.RepoDigests.ToArray(),
                Platform = image.Platform,
                Engine = _engine.Endpoint.Address.OriginalString,
            };
        }

        /// <summary>The digests an image carries for one repository (RepoDigests entries whose name matches).</summary>
        public static string[] DigestsFor(EngineImage image, string repositoryName)
        {
            var result = new List<string>();
            foreach (string entry in image.RepoDigests)
            {
                ParsedReference r = ParsedReference.TryParse(entry, out ParsedReference parsed) ? parsed : null;
                if (r?.Digest != null && string.Equals(r.Name, repositoryName, StringComparison.Ordinal) && !result.Contains(r.Digest))
                    result.Add(r.Digest);
            }
            return result.ToArray();
        }

        private static FailureException DigestMismatch(string display, string expected, string actual)
            => new FailureException(ErrorCatalog.DigestMismatch, $"The engine's image for {display} does not carry the expected digest {expected}; the engine recorded {actual}.");
    }
}
