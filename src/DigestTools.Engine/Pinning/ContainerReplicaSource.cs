using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Drift;
using DigestTools.Engine.Errors;
using DigestTools.Engine.References;

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

        /// <exception cref="FailureException">ContainerNotFound; NoRegistryDigest when the image has no registry digest.</exception>
        public static async Task<ContainerReplicaSource> ReadAsync(EngineClient engine, string nameOrId, CancellationToken cancellationToken)
        {
            ContainerConfiguration container = await engine.InspectContainerConfigurationAsync(nameOrId, cancellationToken).ConfigureAwait(false)
                ?? throw new FailureException(ErrorCatalog.ContainerNotFound, $"The engine has no container '{nameOrId}' to copy.");
            EngineImage image = string.IsNullOrEmpty(container.ImageId) ? null
                : await engine.InspectImageAsync(container.ImageId, cancellationToken).ConfigureAwait(false);
            ContainerImageIdentity identity = ContainerImageIdentity.Of(container.ConfiguredImage, container.ImageId, container.Labels, image);
            string digest = identity.RunningDigest();
            if (digest == null)
            {
                string runs = string.IsNullOrEmpty(container.ImageId) ? "an image the engine does not name" : "image " + container.ImageId;
                throw new FailureException(ErrorCatalog.NoRegistryDigest,
                    $"Container {container.Name} runs {runs} ('{container.ConfiguredImage}'), which has no registry digest (built or committed locally, never pulled or pushed), so replicas cannot be pinned to it. Push the image to a registry and create the replicas from its digest.");
            }
            return new ContainerReplicaSource
            {
                Configuration = container,
                Platform = identity.Platform,
                Pinned = ParsedReference.Parse(identity.Reference.Name + "@" + digest),
                // The identity already follows the source-reference label when it parses, else Config.Image.
                SourceReference = identity.Reference,
            };
        }
    }
}
