using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.References;

namespace DigestTools.Engine.Pinning
{
    /// <summary>
    /// Creates N containers from one pinned reference: create all (each checked on the engine's own record),
    /// then start all; any failure there removes every container this call created and throws ONE error
    /// naming each. Containers that existed before are never touched. A failure after every container started
    /// (waiting, reading logs) keeps them and the error names each one.
    /// </summary>
    public sealed class ReplicaCreator
    {
        public const string LabelSourceReference = PinLabels.SourceReference;
        public const string LabelDigest = PinLabels.Digest;
        public const string LabelPinnedReference = PinLabels.PinnedReference;

        private readonly EngineClient _engine;

        public ReplicaCreator(EngineClient engine) => _engine = engine;

        public async Task<List<Replica>> CreateAsync(ReplicaRequest request, CancellationToken cancellationToken)
        {
            bool wait = request.Wait || request.Logs;
            bool start = request.Start || wait;
            int count = request.Names.Length;
            var created = new List<Replica>();
            int replica = 0;
            try
            {
                for (replica = 1; replica <= count; replica++)
                {
                    ContainerSpec spec = SpecFor(request, request.Names[replica - 1], autoRemove: request.Remove && !wait);
                    string id = await _engine.CreateContainerAsync(spec, cancellationToken).ConfigureAwait(false);
                    var container = new Replica
                    {
                        Id = id,
                        Name = spec.Name,
                        Image = request.Pinned.ToString(),
                        Digest = request.Pinned.Digest,
                        SourceReference = request.Source.ToString(),
                        State = "created",
                        Number = replica,
                        Engine = _engine.Endpoint.Address.OriginalString,
                    };
                    created.Add(container);
                    await VerifyPinnedAsync(container, request.Pinned, cancellationToken).ConfigureAwait(false);
                }
                if (start)
                {
                    for (replica = 1; replica <= created.Count; replica++)
                        await _engine.StartContainerAsync(created[replica - 1].Id, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (FailureException e)
            {
                throw await RolledBackAsync(e, replica, count, created).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C during creation: nothing half-created is left behind either.
                await RemoveAllAsync(created).ConfigureAwait(false);
                throw;
            }

            try
            {
                await FinishAsync(created, wait, request, cancellationToken).ConfigureAwait(false);
            }
            catch (FailureException e)
            {
                // Started containers are the caller's now: keep them, but say which ones exist.
                string kept = string.Join(", ", created.Select(c => c.Label));
                throw new FailureException(e.Kind, $"{e.Message} The containers of this call were created and started and are kept: {kept}.", e);
            }
            return created;
        }

        // Wait, read logs, remove (-Remove after -Wait) and report each container's state.
        private async Task FinishAsync(List<Replica> created, bool wait, ReplicaRequest request, CancellationToken cancellationToken)
        {
            foreach (Replica container in created)
            {
                if (wait)
                {
                    container.ExitCode = await _engine.WaitContainerAsync(container.Id, cancellationToken).ConfigureAwait(false);
                    if (request.Logs) container.Logs = await _engine.GetLogsAsync(container.Id, cancellationToken).ConfigureAwait(false);
                }
                if (wait && request.Remove)
                {
                    await _engine.RemoveContainerAsync(container.Id, false, cancellationToken).ConfigureAwait(false);
                    container.State = "removed";
                    continue;
                }
                EngineContainer inspected = await _engine.InspectContainerAsync(container.Id, cancellationToken).ConfigureAwait(false);
                container.Name = inspected?.Name ?? container.Name;
                container.State = inspected?.State ?? (request.Remove ? "removed" : container.State);
                if (inspected?.ExitCode != null && container.ExitCode == null && inspected.State == "exited") container.ExitCode = inspected.ExitCode;
            }
        }

        // The promise of this workflow, checked on the engine's own record rather than assumed. The record also
        // gives the name the engine chose, kept even if the container is removed later (-Remove).
        private async Task VerifyPinnedAsync(Replica container, ParsedReference pinned, CancellationToken cancellationToken)
        {
            EngineContainer inspected = await _engine.InspectContainerAsync(container.Id, cancellationToken).ConfigureAwait(false);
            container.Name = inspected?.Name ?? container.Name;
            string configured = inspected?.ConfiguredImage;
            if (configured != null && ParsedReference.TryParse(configured, out ParsedReference recorded) && recorded.Equals(pinned)) return;
            throw new FailureException(ErrorCatalog.PinNotRecorded,
                $"The engine recorded the image of container {container.Name ?? container.Id} as '{configured}', not {pinned}.");
        }

        private async Task<FailureException> RolledBackAsync(FailureException cause, int replica, int count, List<Replica> created)
        {
            (List<string> removed, List<string> left) = await RemoveAllAsync(created).ConfigureAwait(false);
            string outcome = created.Count == 0 ? "No container of this call had been created."
                : (removed.Count > 0 ? $"Rolled back (removed) {removed.Count} container(s) created by this call: {string.Join(", ", removed)}." : "")
                  + (left.Count > 0 ? $" Could NOT remove, left behind: {string.Join(", ", left)}." : "");
            string which = count > 1 ? $"Replica {Math.Min(replica, count)} of {count}" : "The container";
            return new FailureException(cause.Kind, $"{which} failed: {cause.Message} {outcome}", cause);
        }

        // Forced removal of what this call created, whatever the caller's token says: a stopped call must
        // not leave its containers behind. Returns the labels removed and those left (with the reason).
        private async Task<(List<string> Removed, List<string> Left)> RemoveAllAsync(List<Replica> created)
        {
            var removed = new List<string>();
            var left = new List<string>();
            foreach (Replica c in created)
            {
                try
                {
                    await _engine.RemoveContainerAsync(c.Id, true, CancellationToken.None).ConfigureAwait(false);
                    removed.Add(c.Label);
                }
                catch (FailureException e)
                {
                    left.Add(c.Label + " (" + e.Message + ")");
                }
            }
            return (removed, left);
        }

        private static ContainerSpec SpecFor(ReplicaRequest request, string name, bool autoRemove)
        {
            ContainerSpec template = request.Template;
            var labels = new Dictionary<string, string>(template.Labels)
            {
                [LabelSourceReference] = request.Source.ToString(),
                [LabelDigest] = request.Pinned.Digest,
                [LabelPinnedReference] = request.Pinned.ToString(),
            };
            return new ContainerSpec
            {
                Image = request.Pinned.ToString(),
                Name = name,
                Command = template.Command,
                Entrypoint = template.Entrypoint,
                Environment = template.Environment,
                Labels = labels,
                Volumes = template.Volumes,
                Mounts = template.Mounts,
                Network = template.Network,
                Ports = template.Ports,
                RestartPolicy = template.RestartPolicy,
                User = template.User,
                WorkingDirectory = template.WorkingDirectory,
                Platform = template.Platform,
                AutoRemove = autoRemove,
            };
        }
    }
}
