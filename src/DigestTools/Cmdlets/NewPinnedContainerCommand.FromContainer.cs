using System.Linq;
using System.Management.Automation;
using DigestTools.Engine.Docker;
using DigestTools.Replicas;

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
                WriteError(ErrorRecords.New("InvalidContainer", ErrorCategory.InvalidArgument,
                    $"-FromContainer takes a container name or id, or an object with an Id or Name property; an object of type {FromContainer.GetType().FullName} has neither.", FromContainer));
                return;
            }
            string[] names = ReplicaNames.For(Name, Count);
            string what = $"{Count} replica(s) like container {target}" + (Name != null ? ": " + string.Join(", ", names) : "");
            if (!ShouldProcess(what, "Create pinned container")) return;
            try
            {
                EngineClient engine = Engine;   // connects (and may write verbose text) on the pipeline thread
                ContainerReplicaSource source = Run(ct => ContainerReplicaSource.ReadAsync(engine, target, ct));
                var given = MyInvocation.BoundParameters.Keys.Where(k => s_copiedParameters.Contains(k)).ToList();
                ContainerSpec template = ReplicaTemplate.Merge(source.Configuration, source.Platform, _template, given);
                // Podman records the name an image was found under: pull by digest so Config.Image is repository@digest.
                if (Engine.IsPodman && PullPolicy != PullPolicy.Never)
                    new ImagePuller(this, Engine).Pull(source.Pinned, template.Platform, Credential);
                WriteVerbose($"Container {source.Configuration.Name} runs {source.Pinned}; creating {Count} container(s) like it.");
                foreach (PinnedContainer container in CreateReplicas(source.SourceReference, source.Pinned, names, template))
                    WriteObject(container);
            }
            catch (EngineException e) when (e.ErrorId != "EngineUnreachable")
            {
                WriteError(ErrorRecords.From(e, target));
            }
            catch (EngineException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, target));
            }
        }
    }
}
