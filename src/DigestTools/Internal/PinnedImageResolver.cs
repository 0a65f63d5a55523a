using System;
using System.Linq;
using System.Management.Automation;
using DigestTools.Engine.Docker;

namespace DigestTools
{
    /// <summary>When New-PinnedContainer may pull: like docker's --pull.</summary>
    public enum PullPolicy
    {
        /// <summary>Pull only when the engine does not have the image (docker's default).</summary>
        Missing,
        /// <summary>Always pull; a tag is then resolved by the registry, through the engine.</summary>
        Always,
        /// <summary>Never pull: the image must already be in the engine.</summary>
        Never,
    }

    /// <summary>
    /// Resolves a reference ONCE to repository@digest for New-PinnedContainer and makes sure the engine has
    /// that image. A digest given is used as is. A tag is resolved through the engine: by pulling it
    /// (Always, or Missing when absent) and taking the digest the engine recorded, or from the local image's
    /// RepoDigests (Missing when present, Never). An image with no registry digest cannot be pinned: NoRegistryDigest.
    /// </summary>
    internal sealed class PinnedImageResolver
    {
        private readonly DigestToolsCmdlet _cmdlet;
        private readonly EngineClient _engine;

        internal PinnedImageResolver(DigestToolsCmdlet cmdlet, EngineClient engine)
        {
            _cmdlet = cmdlet;
            _engine = engine;
        }

        /// <summary>Returns repository@digest (as an ImageReference) ready to create containers from.</summary>
        internal ImageReference Resolve(ImageReference reference, PullPolicy policy, string platform, PSCredential credential)
        {
            ImageReference pinned = ResolveDigest(reference, policy, platform, credential);
            // Podman names a container's image by the name it found the image under; that is repository@digest
            // only once the image was pulled by that digest (cheap: the layers are already there).
            if (_engine.IsPodman && policy != PullPolicy.Never && !_pulledByDigest)
                new ImagePuller(_cmdlet, _engine).Pull(pinned, platform, credential);
            return pinned;
        }

        private bool _pulledByDigest;

        private ImageReference ResolveDigest(ImageReference reference, PullPolicy policy, string platform, PSCredential credential)
        {
            var puller = new ImagePuller(_cmdlet, _engine);
            if (reference.Digest != null)
            {
                ImageReference pinned = reference.WithoutTag();
                if (policy != PullPolicy.Always && HasDigest(Inspect(pinned.ToString()), pinned)) return pinned;
                if (policy == PullPolicy.Never)
                    throw new EngineException("ImageNotPresent", "ObjectNotFound", $"The engine has no image {pinned} and -PullPolicy Never forbids pulling it.");
                _pulledByDigest = true;
                return Pinned(puller.Pull(pinned, platform, credential));
            }

            ImageReference tagged = reference.Tag != null ? reference : ImageReference.Parse(reference.Name + ":latest");
            if (policy == PullPolicy.Always) return Pinned(puller.Pull(tagged, platform, credential));

            EngineImage image = Inspect(tagged.ToString());
            if (image == null)
            {
                if (policy == PullPolicy.Never)
                    throw new EngineException("ImageNotPresent", "ObjectNotFound", $"The engine has no image {tagged} and -PullPolicy Never forbids pulling it.");
                return Pinned(puller.Pull(tagged, platform, credential));
            }
            string[] digests = ImagePuller.DigestsFor(image, tagged.Name);
            if (digests.Length == 0)
                throw new EngineException("NoRegistryDigest", "InvalidData",
                    $"The local image {tagged} ({image.Id}) has no registry digest (built or loaded locally, never pulled or pushed), so containers cannot be pinned to it. Push it to a registry, or pull it by digest.");
            if (digests.Length == 1) return ImageReference.Parse(tagged.Name + "@" + digests[0]);
            // Several digests (index and platform manifest, OCI and Docker forms) all name this one local image, so
            // any pins the same bytes; prefer the one the registry says the tag names, if it is among them.
            string named = RegistryTagLookup.TryResolve(_cmdlet, tagged, platform, credential);
            string chosen = named != null && digests.Contains(named) ? named : digests[0];
            if (chosen != named)
                _cmdlet.WriteVerbose($"The local image {tagged} carries {digests.Length} digests for {tagged.Name}; pinning to {chosen}, the first the engine lists (all name this same local image).");
            return ImageReference.Parse(tagged.Name + "@" + chosen);
        }

        // Podman finds an image by digest under any repository; only this repository's digest counts.
        private static bool HasDigest(EngineImage image, ImageReference pinned)
            => image != null && ImagePuller.DigestsFor(image, pinned.Name).Contains(pinned.Digest);

        private EngineImage Inspect(string name) => _cmdlet.Run(ct => _engine.InspectImageAsync(name, ct));

        private static ImageReference Pinned(PulledImage pulled) => ImageReference.Parse(pulled.PinnedReference);
    }
}
