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
    /// Resolves a reference ONCE to repository@digest for New-PinnedContainer and makes sure the engine has
    /// that image. A digest given is used as is. A tag is resolved through the engine: by pulling it
    /// (Always, or Missing when absent) and taking the digest the engine recorded, or from the local image's
    /// RepoDigests (Missing when present, Never). An image with no registry digest cannot be pinned: NoRegistryDigest.
    /// </summary>
    public sealed class PinnedImageResolver
    {
        private readonly EngineClient _engine;
        private readonly IWorkflowLog _log;
        private readonly ImagePuller _puller;

        public PinnedImageResolver(EngineClient engine, IWorkflowLog log)
        {
            _engine = engine;
            _log = log;
            _puller = new ImagePuller(engine, log);
        }

        /// <summary>Returns repository@digest, ready to create containers from.</summary>
        public async Task<ParsedReference> ResolveAsync(ParsedReference reference, ImagePullPolicy policy, string platform,
            RegistryCredential credential, CancellationToken cancellationToken)
        {
            var attempt = new Attempt(this, policy, platform, credential, cancellationToken);
            ParsedReference pinned = await attempt.ResolveDigestAsync(reference).ConfigureAwait(false);
            // Podman names a container's image by the name it found the image under; that is repository@digest
            // only once the image was pulled by that digest (cheap: the layers are already there).
            if (_engine.IsPodman && policy != ImagePullPolicy.Never && !attempt.PulledByDigest)
                await _puller.PullAsync(pinned, platform, credential, cancellationToken).ConfigureAwait(false);
            return pinned;
        }

        // One resolution's parameters and what it did, so the steps below read as plain sentences.
        private sealed class Attempt
        {
            private readonly PinnedImageResolver _owner;
            private readonly ImagePullPolicy _policy;
            private readonly string _platform;
            private readonly RegistryCredential _credential;
            private readonly CancellationToken _cancellationToken;

            internal Attempt(PinnedImageResolver owner, ImagePullPolicy policy, string platform, RegistryCredential credential, CancellationToken cancellationToken)
            {
                _owner = owner;
                _policy = policy;
                _platform = platform;
                _credential = credential;
                _cancellationToken = cancellationToken;
            }

            internal bool PulledByDigest { get; private set; }

            internal async Task<ParsedReference> ResolveDigestAsync(ParsedReference reference)
            {
                if (reference.Digest != null)
                {
                    ParsedReference pinned = reference.WithoutTag();
                    if (_policy != ImagePullPolicy.Always && HasDigest(await InspectAsync(pinned).ConfigureAwait(false), pinned)) return pinned;
                    if (_policy == ImagePullPolicy.Never) throw NotPresent(pinned);
                    PulledByDigest = true;
                    return await PullAsync(pinned).ConfigureAwait(false);
                }

                ParsedReference tagged = reference.Tag != null ? reference : ParsedReference.Parse(reference.Name + ":" + reference.TagOrLatest);
                if (_policy == ImagePullPolicy.Always) return await PullAsync(tagged).ConfigureAwait(false);

                EngineImage image = await InspectAsync(tagged).ConfigureAwait(false);
                if (image == null)
                {
                    if (_policy == ImagePullPolicy.Never) throw NotPresent(tagged);
                    return await PullAsync(tagged).ConfigureAwait(false);
                }
                string[] digests = ImagePuller.DigestsFor(image, tagged.Name);
                if (digests.Length == 0)
                    throw new FailureException(ErrorCatalog.NoRegistryDigest,
                        $"The local image {tagged} ({image.Id}) has no registry digest (built or loaded locally, never pulled or pushed), so containers cannot be pinned to it. Push it to a registry, or pull it by digest.");
                if (digests.Length == 1) return ParsedReference.Parse(tagged.Name + "@" + digests[0]);
                // Several digests (index and platform manifest, OCI and Docker forms) all name this one local image, so
                // any pins the same bytes; prefer the one the registry says the tag names, if it is among them.
                string named = await RegistryTagLookup.TryResolveAsync(tagged, _platform, _credential, _owner._log, _cancellationToken).ConfigureAwait(false);
                string chosen = named != null && digests.Contains(named) ? named : digests[0];
                if (chosen != named)
                    _owner._log.Verbose($"The local image {tagged} carries {digests.Length} digests for {tagged.Name}; pinning to {chosen}, the first the engine lists (all name this same local image).");
                return ParsedReference.Parse(tagged.Name + "@" + chosen);
            }

            private async Task<ParsedReference> PullAsync(ParsedReference reference)
            {
                PullResult pulled = await _owner._puller.PullAsync(reference, _platform, _credential, _cancellationToken).ConfigureAwait(false);
                return ParsedReference.Parse(pulled.PinnedReference);
            }

            private Task<EngineImage> InspectAsync(ParsedReference reference) => _owner._engine.InspectImageAsync(reference.ToString(), _cancellationToken);

            private static FailureException NotPresent(ParsedReference reference)
                => new FailureException(ErrorCatalog.ImageNotPresent, $"The engine has no image {reference} and -PullPolicy Never forbids pulling it.");
        }

        // Podman finds an image by digest under any repository; only this repository's digest counts.
        private static bool HasDigest(EngineImage image, ParsedReference pinned)
            => image != null && ImagePuller.DigestsFor(image, pinned.Name).Contains(pinned.Digest);
    }
}
