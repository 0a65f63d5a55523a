using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.References;

namespace DigestTools.Engine.Drift
{
    /// <summary>
    /// What a container runs, in registry terms: its repository (from the io.digesttools labels, else Config.Image,
    /// else the image's only repository), the tag it follows, and every registry digest its image carries there.
    /// Shared by drift and by replicas made like a running container.
    /// </summary>
    internal sealed class ContainerImageIdentity
    {
        /// <summary>The reference the container follows (its Name is the repository): the source-reference label, else
        /// Config.Image, else the image's only repository; null when none of them names one.</summary>
        internal ParsedReference Reference { get; private set; }

        /// <summary>The tag followed; null when the container names only a digest (and no label names a tag).</summary>
        internal string Tag { get; private set; }

        /// <summary>True when Config.Image is repository@digest.</summary>
        internal bool Pinned { get; private set; }

        internal string SourceReference { get; private set; }
        internal string PinnedDigest { get; private set; }

        /// <summary>The digest Config.Image or the label names, if any (preferred as "the" running digest).</summary>
        internal string NamedDigest { get; private set; }

        /// <summary>Every registry digest the image carries for Repository (several: index and platform manifest, OCI and Docker forms).</summary>
        internal IReadOnlyList<string> Digests { get; private set; } = new string[0];

        internal string Platform { get; private set; }

        internal static ContainerImageIdentity Of(string configuredImage, string imageId, IReadOnlyDictionary<string, string> labels, EngineImage image)
        {
            var identity = new ContainerImageIdentity
            {
                SourceReference = Label(labels, ReplicaCreator.LabelSourceReference),
                PinnedDigest = Label(labels, ReplicaCreator.LabelDigest),
                Platform = image?.Platform,
            };
            ParsedReference configured = NamesAnImage(configuredImage, imageId) && ParsedReference.TryParse(configuredImage, out ParsedReference c) ? c : null;
            ParsedReference source = identity.SourceReference != null && ParsedReference.TryParse(identity.SourceReference, out ParsedReference s) ? s : null;
            identity.Pinned = configured?.Digest != null;

            ParsedReference follow = source ?? configured;
            identity.Reference = follow ?? OnlyRepository(image);
            identity.Tag = follow == null ? null : follow.Tag ?? (follow.Digest == null ? "latest" : null);
            identity.Digests = image == null || identity.Reference == null ? new string[0] : ImagePuller.DigestsFor(image, identity.Reference.Name);
            identity.NamedDigest = new[] { configured?.Digest, identity.PinnedDigest, source?.Digest }
                .FirstOrDefault(d => d != null && identity.Digests.Contains(d));
            return identity;
        }

        /// <summary>The digest to report as running without asking the registry: the one the container names, else the first.</summary>
        internal string RunningDigest() => NamedDigest ?? Digests.FirstOrDefault();

        /// <summary>
        /// The digest that runs, checked against the registry only when the image leaves a choice: the one the container
        /// names, else the only one the image carries, else the first of its several that the registry has (Podman lists
        /// every digest of an image under each of its names, also digests never pushed to that repository); null when
        /// the registry has none of them, or the image carries none.
        /// </summary>
        /// <param name="registryHas">Whether the registry resolves repository@digest; throws when the registry cannot be asked.</param>
        internal async Task<string> RunningDigestAsync(Func<string, Task<bool>> registryHas)
        {
            if (NamedDigest != null || Digests.Count < 2) return RunningDigest();
            foreach (string digest in Digests)
            {
                if (await registryHas(digest).ConfigureAwait(false)) return digest;
            }
            return null;
        }

        // A container created from an image id records that id (or a prefix) as Config.Image: no name in it.
        private static bool NamesAnImage(string configured, string imageId)
        {
            if (string.IsNullOrWhiteSpace(configured) || configured.StartsWith("sha256:", StringComparison.Ordinal)) return false;
            string hex = imageId?.StartsWith("sha256:", StringComparison.Ordinal) == true ? imageId.Substring(7) : imageId;
            return hex == null || !hex.StartsWith(configured, StringComparison.Ordinal);
        }

        private static ParsedReference OnlyRepository(EngineImage image)
        {
            if (image == null) return null;
            var names = image.RepoDigests.Select(e => ParsedReference.TryParse(e, out ParsedReference r) ? r : null).Where(r => r != null).Select(r => r.Name).Distinct().ToList();
            return names.Count == 1 ? ParsedReference.Parse(names[0]) : null;
        }

        private static string Label(IReadOnlyDictionary<string, string> labels, string key)
            => labels != null && labels.TryGetValue(key, out string value) && !string.IsNullOrWhiteSpace(value) ? value : null;
    }
}
