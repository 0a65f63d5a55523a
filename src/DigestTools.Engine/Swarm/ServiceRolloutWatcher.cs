using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Swarm
{
    /// <summary>
    /// Follows a service until its tasks run the pinned digest: after a create (every desired task running)
    /// or after an update (Swarm's update state completes, pauses, or rolls back). Bounded by a timeout;
    /// cancelling only stops the watching, never the rollout Swarm performs.
    /// </summary>
    public sealed class ServiceRolloutWatcher
    {
        private readonly EngineClient _engine;
        private readonly TimeSpan _timeout;
        private readonly Action<ServiceRolloutProgress> _progress;

        /// <summary>Time between two looks at the service.</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

        /// <summary>
        /// How long every desired task must keep running before a new service counts as converged: a task whose
        /// command exits at once is "running" for a moment first (the docker CLI watches a few seconds too).
        /// </summary>
        public TimeSpan ConvergeFor { get; set; } = TimeSpan.FromSeconds(3);

        public ServiceRolloutWatcher(EngineClient engine, TimeSpan timeout, Action<ServiceRolloutProgress> progress)
        {
            _engine = engine;
            _timeout = timeout;
            _progress = progress;
        }

        /// <summary>Waits until every desired task of a new service runs the digest; returns how many run it.</summary>
        /// <exception cref="FailureException">ServiceTasksFailed (as many failed tasks as desired ones), ServiceWaitTimedOut.</exception>
        public async Task<ulong> WaitForTasksAsync(EngineService service, string digest, CancellationToken cancellationToken)
        {
            DateTime deadline = DateTime.UtcNow + _timeout;
            DateTime? allRunningSince = null;
            while (true)
            {
                TaskSnapshot snapshot = await LookAsync(service, digest, null, cancellationToken).ConfigureAwait(false);
                _progress?.Invoke(new ServiceRolloutProgress { Service = service.Name, Running = snapshot.Running, Desired = snapshot.Desired });
                // Scaled to zero: nothing will ever run, so there is nothing to wait for (docker service create --replicas 0 returns too).
                if (service.Replicas == 0 && snapshot.Desired == 0) return 0;
                bool allRunning = snapshot.Desired > 0 && snapshot.Running >= snapshot.Desired;
                allRunningSince = allRunning ? allRunningSince ?? DateTime.UtcNow : (DateTime?)null;
                if (allRunningSince != null && DateTime.UtcNow - allRunningSince.Value >= ConvergeFor) return snapshot.Running;
                if ((ulong)snapshot.Failed.Count >= Math.Max(1UL, snapshot.Desired))
                    throw new FailureException(ErrorCatalog.ServiceTasksFailed, $"The tasks of service {service.Name} fail ({snapshot.Running} of {snapshot.Desired} running {digest}): {Describe(snapshot.Failed)}. The service exists; Swarm keeps retrying it.");
                if (DateTime.UtcNow >= deadline) throw TimedOut(service, snapshot, digest, "to run");
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Follows Swarm's rolling update started after <paramref name="before"/> was read, until it completes.
        /// Returns how many tasks run the new digest.
        /// </summary>
        /// <exception cref="FailureException">ServiceRolledBack, ServiceUpdatePaused, ServiceWaitTimedOut, ServiceNotFound.</exception>
        public async Task<ulong> WaitForUpdateAsync(EngineService before, string newDigest, CancellationToken cancellationToken)
        {
            DateTime deadline = DateTime.UtcNow + _timeout;
            DateTime since = DateTime.UtcNow;
            while (true)
            {
                EngineService now = await _engine.InspectServiceAsync(before.Id, cancellationToken).ConfigureAwait(false)
                    ?? throw new FailureException(ErrorCatalog.ServiceNotFound, $"The service {before.Name} disappeared during its update.");
                // The state of an earlier update lingers until Swarm's updater starts this one.
                bool stale = now.UpdateStartedAt != null && now.UpdateStartedAt == before.UpdateStartedAt;
                string state = stale ? null : now.UpdateState;
                TaskSnapshot snapshot = await LookAsync(now, newDigest, since, cancellationToken).ConfigureAwait(false);
                _progress?.Invoke(new ServiceRolloutProgress { Service = before.Name, Running = snapshot.Running, Desired = snapshot.Desired, UpdateState = state ?? "pending" });
                switch (state)
                {
                    case "completed":
                        return snapshot.Running;
                    case "paused":
                        throw new FailureException(ErrorCatalog.ServiceUpdatePaused, $"Swarm paused the update of service {before.Name} to {newDigest}: {now.UpdateMessage}{FailedSuffix(snapshot)} Resume or roll back with the docker CLI, or fix the image and run Update-PinnedService again.");
                    case "rollback_completed":
                    case "rollback_paused":
                        throw new FailureException(ErrorCatalog.ServiceRolledBack, $"Swarm rolled the service {before.Name} back from {newDigest} to {ServiceImagePin.DigestOf(now.Image)}"
                            + (state == "rollback_paused" ? " (the rollback itself paused)" : string.Empty) + $": {now.UpdateMessage}{FailedSuffix(snapshot)}");
                }
                // No update at all (nothing to roll, e.g. 0 replicas): done once the tasks agree. Swarm writes an update's
                // state and start time together, so no start time also means no state (and nothing stale).
                if (snapshot.Desired == snapshot.Running && snapshot.Stale == 0 && now.UpdateStartedAt == null
                    && ServiceImagePin.DigestOf(now.Image) == newDigest && DateTime.UtcNow - since > TimeSpan.FromSeconds(2))
                    return snapshot.Running;
                if (DateTime.UtcNow >= deadline) throw TimedOut(before, snapshot, newDigest, "to roll onto");
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task<TaskSnapshot> LookAsync(EngineService service, string digest, DateTime? failedSince, CancellationToken cancellationToken)
        {
            IReadOnlyList<EngineServiceTask> tasks = await _engine.ListServiceTasksAsync(service.Id, cancellationToken).ConfigureAwait(false);
            (ulong Desired, ulong Running)? counts = await _engine.GetServiceTaskCountsAsync(service.Id, cancellationToken).ConfigureAwait(false);
            List<EngineServiceTask> live = tasks.Where(t => t.DesiredState == "running").ToList();
            return new TaskSnapshot
            {
                Desired = counts?.Desired ?? service.Replicas ?? (ulong)live.Count,
                Running = (ulong)live.Count(t => t.State == "running" && ServiceImagePin.DigestOf(t.Image) == digest),
                Stale = live.Count(t => ServiceImagePin.DigestOf(t.Image) != digest),
                Failed = tasks.Where(t => ServiceImagePin.DigestOf(t.Image) == digest && (t.HasFailed || t.State == "complete")
                                          && (failedSince == null || t.Timestamp == null || t.Timestamp >= failedSince.Value.AddSeconds(-5))).ToList(),
            };
        }

        private static string FailedSuffix(TaskSnapshot snapshot)
            => snapshot.Failed.Count == 0 ? "." : $". Failed tasks: {Describe(snapshot.Failed)}.";

        private static string Describe(IEnumerable<EngineServiceTask> failed)
            => string.Join("; ", failed.Take(5).Select(t =>
                $"task {t.Id.Substring(0, Math.Min(12, t.Id.Length))} {t.State}"
                + (t.ExitCode != null ? $" (exit code {t.ExitCode})" : string.Empty)
                + (string.IsNullOrEmpty(t.Error) ? string.Empty : ": " + t.Error)));

        private FailureException TimedOut(EngineService service, TaskSnapshot snapshot, string digest, string what)
            => new FailureException(ErrorCatalog.ServiceWaitTimedOut, $"Service {service.Name}: {snapshot.Running} of {snapshot.Desired} tasks run {digest} after {_timeout.TotalSeconds:0} s; stopped waiting for them {what} it (Swarm goes on){FailedSuffix(snapshot)}");

        private sealed class TaskSnapshot
        {
            internal ulong Desired;
            internal ulong Running;
            internal int Stale;
            internal List<EngineServiceTask> Failed;
        }
    }
}
