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
        /// <summary>How long the clean-up after a stop may take in all: the caller asked to stop, so it is short.</summary>
        public static readonly TimeSpan StopRollbackDeadline = TimeSpan.FromSeconds(10);

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
                    CreatedContainer made = await _engine.CreateContainerAsync(spec, cancellationToken).ConfigureAwait(false);
                    var container = new Replica
                    {
                        Id = made.Id,
                        CreationId = made.CreationId,
                        Name = spec.Name,
                        Image = request.Pinned.ToString(),
                        Digest = request.Pinned.Digest,
                        SourceReference = request.Source.ToString(),
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
            catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C during creation: nothing half-created is left behind either, and the caller learns what was removed.
                throw await StoppedAsync(e, created).ConfigureAwait(false);
            }

            try
            {
                await FinishAsync(created, wait, request, cancellationToken).ConfigureAwait(false);
            }
            catch (FailureException e)
            {
                // Started containers are the caller's now: keep them, but say which ones still exist.
                throw new FailureException(e.Kind, $"{e.Message} {await DescribeKeptAsync(created).ConfigureAwait(false)}", e);
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
                if (!request.Remove && (inspected == null || inspected.State == "removing"))
                    throw new FailureException(ErrorCatalog.ContainerNotFound,
                        $"Container {container.Label} was removed by someone else before the call could report it.");
                // The name was read from the engine's record at the create; no record now means the engine's --rm did it.
                container.State = inspected?.State ?? "removed";
                if (inspected?.ExitCode != null && container.ExitCode == null && inspected.State == "exited") container.ExitCode = inspected.ExitCode;
            }
        }

        // The promise of this workflow, checked on the engine's own record rather than assumed. The record must be
        // this create's (its creation id): a reply naming another container is not trusted, and the rollback finds
        // the real one by its creation id. The record also gives the name the engine chose, kept even if the
        // container is removed later (-Remove).
        private async Task VerifyPinnedAsync(Replica container, ParsedReference pinned, CancellationToken cancellationToken)
        {
            EngineContainer inspected = await _engine.InspectContainerAsync(container.Id, cancellationToken).ConfigureAwait(false);
            if (inspected == null || !inspected.Labels.TryGetValue(EngineClient.CreationIdLabel, out string creationId) || creationId != container.CreationId)
                throw EngineErrors.ReplyNamedAnotherContainer(_engine.Endpoint, container.Name, container.Id, inspected != null);
            container.Name = inspected.Name ?? container.Name;
            string configured = inspected.ConfiguredImage;
            if (configured != null && ParsedReference.TryParse(configured, out ParsedReference recorded) && recorded.Equals(pinned)) return;
            throw new FailureException(ErrorCatalog.PinNotRecorded,
                $"The engine recorded the image of container {container.Name ?? container.Id} as '{configured}', not {pinned}.");
        }

        private async Task<FailureException> RolledBackAsync(FailureException cause, int replica, int count, List<Replica> created)
        {
            string outcome = await RollBackAsync(created, CancellationToken.None).ConfigureAwait(false);
            string which = count > 1 ? $"Replica {Math.Min(replica, count)} of {count}" : "The container";
            return new FailureException(cause.Kind, $"{which} failed: {cause.Message} {outcome}", cause);
        }

        // A stop rolls back on a deadline of its own: the caller's token is already cancelled.
        private async Task<StoppedException> StoppedAsync(OperationCanceledException cause, List<Replica> created)
        {
            // The create in flight may have cleaned up after itself already and said so.
            string inFlight = cause is StoppedException stopped ? stopped.Report + " " : "";
            using (var deadline = new CancellationTokenSource(StopRollbackDeadline))
                return new StoppedException(inFlight + await RollBackAsync(created, deadline.Token).ConfigureAwait(false), cause);
        }

        // Forced removal of what this call created, whatever the caller's token says; says what it removed and
        // what it left (with the reason). Each container is found by its creation id, never by the id a reply
        // named: that reply may have named another container, which must not be touched.
        private async Task<string> RollBackAsync(List<Replica> created, CancellationToken deadline)
        {
            if (created.Count == 0) return "Nothing else of this call had been created.";
            var removed = new List<string>();
            var gone = new List<string>();
            var left = new List<string>();
            foreach (Replica c in created)
            {
                try
                {
                    IReadOnlyList<string> ids = await _engine.RemoveCreatedAsync(c.CreationId, deadline).ConfigureAwait(false);
                    if (ids.Count == 0) gone.Add(c.Name ?? c.Label);
                    else removed.AddRange(ids.Select(id => c.Name + " " + EngineErrors.Short(id)));
                }
                catch (FailureException e)
                {
                    left.Add(c.Label + " (" + e.Message + ")");
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                {
                    left.Add(c.Label + $" (the rollback's deadline of {StopRollbackDeadline.TotalSeconds:0} s passed)");
                }
            }
            var parts = new List<string>();
            if (removed.Count > 0) parts.Add($"Rolled back (removed) {removed.Count} container(s) created by this call: {string.Join(", ", removed)}.");
            if (gone.Count > 0) parts.Add($"Already gone from the engine: {string.Join(", ", gone)}.");
            if (left.Count > 0) parts.Add($"Could NOT remove, left behind: {string.Join(", ", left)}.");
            return string.Join(" ", parts);
        }

        // Asked of the engine, not assumed: a container removed by someone else must not be called kept.
        private async Task<string> DescribeKeptAsync(List<Replica> created)
        {
            var kept = new List<string>();
            var gone = new List<string>();
            var unknown = new List<string>();
            foreach (Replica c in created)
            {
                try
                {
                    EngineContainer now = await _engine.InspectContainerAsync(c.Id, CancellationToken.None).ConfigureAwait(false);
                    (now == null || now.State == "removing" ? gone : kept).Add(c.Label);
                }
                catch (FailureException) { unknown.Add(c.Label); }
            }
            var parts = new List<string>();
            if (kept.Count > 0) parts.Add($"The containers of this call were created and started and are kept: {string.Join(", ", kept)}.");
            if (gone.Count > 0) parts.Add($"No longer in the engine (removed by someone else): {string.Join(", ", gone)}.");
            if (unknown.Count > 0) parts.Add($"The engine did not say whether these still exist: {string.Join(", ", unknown)}.");
            return string.Join(" ", parts);
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
