using System.Linq;
using System.Management.Automation;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.Registry;

namespace DigestTools
{
    /// <summary>
    /// New-PinnedContainer -FromContainer: replicas like an existing container. They run the digest that container's
    /// image carries (not its tag, which may have moved since) with its configuration; explicit parameters win.
    /// </summary>
    public sealed partial class NewPinnedContainerCommand
    {
        private static readonly string[] s_copiedParameters =
            { "Command", "Entrypoint", "Environment", "Label", "Volume", "Mount", "Network", "Publish", "RestartPolicy", "User", "WorkingDirectory", "Platform" };

        private void ProcessFromContainer()
        {
            string target = ContainerInput.Read(FromContainer);
            if (target == null)
            {
                WriteError(ErrorRecords.For(ErrorCatalog.InvalidContainer,
                    $"-FromContainer takes a container name or id, or an object with an Id or Name property; an object of type {FromContainer.GetType().FullName} has neither.", FromContainer));
                return;
            }
            if (!PlatformInput.TryRead(Platform, out string platform, out ErrorRecord invalid))
            {
                WriteError(invalid);
                return;
            }
            string[] names = ReplicaNames.For(Name, Count);
            if (!ShouldProcess($"{Count} replica(s) like container {target}" + (Name != null ? ": " + string.Join(", ", names) : ""), "Create pinned container")) return;
            try
            {
                EngineClient engine = Engine;   // connects (and may write verbose text) on the pipeline thread
                // The registry is asked only when the image carries several digests for the repository (Podman lists
                // every digest of an image under each of its names): replicas get the first one the registry has.
                RegistryClientOptions registry = new RegistryAccess(this, Credential).Options;
                ContainerReplicaSource source = Run(ct => ContainerReplicaSource.ReadAsync(engine, target, registry, ct));
                var given = MyInvocation.BoundParameters.Keys.Where(k => s_copiedParameters.Contains(k)).ToList();
                _template.Platform = platform;
                ContainerSpec template = ReplicaTemplate.Merge(source.Configuration, source.Platform, _template, given);
                // Podman records the name an image was found under: pull by digest so Config.Image is repository@digest.
                if (engine.IsPodman && PullPolicy != PullPolicy.Never)
                {
                    var puller = new ImagePuller(engine, Log);
                    Run(ct => puller.PullAsync(source.Pinned, template.Platform, CredentialConversion.ToRegistryCredential(Credential), ct));
                }
                WriteVerbose($"Container {source.Configuration.Name} runs {source.Pinned}; creating {Count} container(s) like it.");
                CreateReplicas(Request(source.SourceReference, source.Pinned, names, template));
            }
            catch (FailureException e)
            {
                WriteFailure(e, target);
            }
        }
    }
}
