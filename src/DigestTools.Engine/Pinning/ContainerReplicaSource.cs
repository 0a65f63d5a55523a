using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Drift;
using DigestTools.Engine.Errors;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;

namespace DigestTools.Engine.Pinning
{
    /// <summary>
    /// A running (or stopped) container as the source of new replicas: the digest its image carries for its
    /// repository (not its tag: a tag that moved since must not change what replicas run) and its configuration.
    /// </summary>
    public sealed class ContainerReplicaSource
    {
        private ContainerReplicaSource() { }

        public ContainerConfiguration Configuration { get; private set; }

        /// <summary>What the source container followed (its io.digesttools.source-reference label, else its Config.Image).</summary>
        public ParsedReference SourceReference { get; private set; }

        /// <summary>repository@digest of the image the container runs.</summary>
        public ParsedReference Pinned { get; private set; }

        /// <summary>os/arch[/variant] of that image, or null when the engine does not say.</summary>
        public string Platform { get; private set; }

        /// <param name="registry">Settings for asking the registry which of several digests the image carries for its
        /// repository it has (only then is it asked).</param>
        /// <exception cref="FailureException">ContainerNotFound; NoRegistryDigest when the image has no registry digest;
        /// ManifestUnknown when it has several and the registry has none of them; the registry's error when it cannot be asked.</exception>
        public static async Task<ContainerReplicaSource> ReadAsync(EngineClient engine, string nameOrId, RegistryClientOptions registry, CancellationToken cancellationToken)
        {
            ContainerConfiguration container = await engine.InspectContainerConfigurationAsync(nameOrId, cancellationToken).ConfigureAwait(false)
                ?? throw new FailureException(ErrorCatalog.ContainerNotFound, $"The engine has no container '{nameOrId}' to copy.");
            EngineImage image = string.IsNullOrEmpty(container.ImageId) ? null
                : await engine.InspectImageAsync(container.ImageId, cancellationToken).ConfigureAwait(false);
            ContainerImageIdentity identity = ContainerImageIdentity.Of(container.ConfiguredImage, container.ImageId, container.Labels, image);
            if (identity.Digests.Count == 0)
            {
                string runs = string.IsNullOrEmpty(container.ImageId) ? "an image the engine does not name" : "image " + container.ImageId;
                throw new FailureException(ErrorCatalog.NoRegistryDigest,
                    $"Container {container.Name} runs {runs} ('{container.ConfiguredImage}'), which has no registry digest (built or committed locally, never pulled or pushed), so replicas cannot be pinned to it. Push the image to a registry and create the replicas from its digest.");
            }
            string digest = await RunningDigestAsync(identity, registry, cancellationToken).ConfigureAwait(false)
                ?? throw new FailureException(ErrorCatalog.ManifestUnknown,
                    $"Container {container.Name} runs image {container.ImageId}, which the engine lists under {identity.Reference.Name} with the digests {string.Join(", ", identity.Digests)}; "
                    + "the registry has none of them, so replicas cannot be pinned there. Nothing was created.");
            return new ContainerReplicaSource
            {
                Configuration = container,
                Platform = identity.Platform,
                Pinned = ParsedReference.Parse(identity.Reference.Name + "@" + digest),
                // The identity already follows the source-reference label when it parses, else Config.Image.
                SourceReference = identity.Reference,
            };
        }

        // Only an image with several digests for the repository costs registry requests (one per digest tried, in order).
        private static async Task<string> RunningDigestAsync(ContainerImageIdentity identity, RegistryClientOptions registry, CancellationToken cancellationToken)
        {
            using (var client = new RegistryClient(registry))
            {
                var presence = new ManifestPresenceCheck(client);
                ParsedReference repository = identity.Reference;
                return await identity.RunningDigestAsync(async digest => (await presence.CheckAsync(
                        new ManifestQuery { Registry = repository.Registry, Repository = repository.Repository, Digest = digest, Platform = identity.Platform },
                        cancellationToken).ConfigureAwait(false)).Exists)
                    .ConfigureAwait(false);
            }
        }
    }
}
