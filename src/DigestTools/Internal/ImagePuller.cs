using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DigestTools.Engine.Docker;

namespace DigestTools
{
    /// <summary>
    /// Pulls one reference through the engine and proves the result: afterwards the image's RepoDigests must
    /// contain repository@digest. Shared by Invoke-ImagePull and New-PinnedContainer.
    /// </summary>
    internal sealed class ImagePuller
    {
        private readonly DigestToolsCmdlet _cmdlet;
        private readonly EngineClient _engine;

        internal ImagePuller(DigestToolsCmdlet cmdlet, EngineClient engine)
        {
            _cmdlet = cmdlet;
            _engine = engine;
        }

        /// <summary>
        /// Pulls by digest when the reference has one (name:tag@digest pulls the digest, as docker does), else by
        /// tag ("latest" when none). Throws EngineException (ManifestUnknown, PullFailed, DigestMismatch...).
        /// </summary>
        internal PulledImage Pull(ImageReference reference, string platform, PSCredential credential)
        {
            string registryAuth = EngineRegistryAuth.For(credential, reference.Registry, _cmdlet.Pump.Verbose);
            string tagOrDigest = reference.Digest ?? reference.Tag ?? "latest";
            var request = new ImagePullRequest { Repository = reference.Name, TagOrDigest = tagOrDigest, Platform = platform, RegistryAuth = registryAuth };
            string display = reference.ToString();
            var progress = new PullProgressWriter(_cmdlet.Pump, display);
            ImagePullOutcome outcome;
            try
            {
                outcome = _cmdlet.Run(ct => _engine.PullAsync(request, progress.Report, ct));
            }
            finally
            {
                progress.Complete();
            }

            string lookup = reference.Digest != null ? reference.Name + "@" + reference.Digest : reference.Name + ":" + tagOrDigest;
            EngineImage image = _cmdlet.Run(ct => _engine.InspectImageAsync(lookup, ct))
                ?? throw new EngineException("PullNotVerified", "InvalidResult", $"The engine reported a successful pull of {display} but has no image {lookup} afterwards.");
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
                throw new EngineException("NoRegistryDigest", "InvalidResult",
                    $"After pulling {display} the engine records no registry digest for {reference.Name}, so the image cannot be pinned.");
            }
            else
            {
                // Podman writes no "Digest:" line, and an image pulled under several manifests (index and platform
                // manifest, OCI and Docker forms) carries them all: the registry says which one the tag names.
                digest = RegistryTagLookup.TryResolve(_cmdlet, reference, platform, credential);
                if (digest == null || !digests.Contains(digest, StringComparer.Ordinal))
                    throw new EngineException("AmbiguousDigest", "InvalidResult",
                        $"After pulling {display} the engine records several digests for {reference.Name} ({string.Join(", ", digests)}) and did not say which one the tag named"
                        + (digest == null ? "; the registry could not be asked." : $"; the registry now names {digest}, none of them (the tag moved).")
                        + " Resolve the tag with Get-ImageDigest and pull by digest.");
            }

            if (!digests.Contains(digest, StringComparer.Ordinal))
                throw DigestMismatch(display, digest, digests.Length == 0 ? "none" : string.Join(", ", digests));

            return new PulledImage
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
        internal static string[] DigestsFor(EngineImage image, string repositoryName)
        {
            var result = new List<string>();
            foreach (string entry in image.RepoDigests)
            {
                ImageReference r = ImageInput.TryParseEngineName(entry);
                if (r?.Digest != null && string.Equals(r.Name, repositoryName, StringComparison.Ordinal) && !result.Contains(r.Digest))
                    result.Add(r.Digest);
            }
            return result.ToArray();
        }

        private static EngineException DigestMismatch(string display, string expected, string actual)
            => new EngineException("DigestMismatch", "InvalidResult",
                $"The engine's image for {display} does not carry the expected digest {expected}; the engine recorded {actual}.");
    }
}
