using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Swarm;
using DigestTools.Tests.Pinning;
using DigestTools.Tests.Support;
using DigestTools.TestServers;
using Xunit;

namespace DigestTools.Tests.Swarm
{
    /// <summary>
    /// ServiceRolloutWatcher on the real single-node Swarm: tasks that fail, tasks that can never be scheduled (the
    /// watcher's own deadline), and an update with nothing to roll. The deadlines here bound the watching; the asserts
    /// are on what the watcher says, never on how long it took.
    /// </summary>
    public sealed class ServiceRolloutWatcherTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;
        private static readonly CancellationToken None = CancellationToken.None;

        private static async Task WithServiceAsync(SwarmServiceSpec spec, Func<EngineClient, EngineService, ServiceImagePin, Task> test)
        {
            ServiceImagePin pin = await new ServiceImageResolver(new RegistryClientOptions()).ResolveAsync(ParsedReference.Parse(Env.OciReference), null, None);
            spec.Name = "dt-watch-" + Guid.NewGuid().ToString("n").Substring(0, 10);
            using (EngineClient swarm = await EngineClient.ConnectAsync(DockerCli.Endpoint(Env.SwarmHost), None))
            {
                try
                {
                    await test(swarm, await new PinnedServiceCreator(swarm).CreateAsync(spec, pin, null, None), pin);
                }
                finally
                {
                    try { DockerCli.Run(Env.SwarmHost, "service", "rm", spec.Name); } catch (InvalidOperationException) { }
                }
            }
        }

        private static Task<ServiceImagePin> AltPinAsync()
            => new ServiceImageResolver(new RegistryClientOptions()).ResolveAsync(ParsedReference.Parse(Env.OciAltReference), null, None);

        // Repins the service as Update-PinnedService would, with Swarm's update settings for the case under test.
        private static void UpdateImage(string service, string image, params string[] options)
            => DockerCli.Run(Env.SwarmHost, new[] { "service", "update", "--detach", "--quiet", "--no-resolve-image", "--image", image }.Concat(options).Concat(new[] { service }).ToArray());

        private static ServiceRolloutWatcher Watcher(EngineClient swarm, int timeoutSeconds, List<ServiceRolloutProgress> progress)
            => new ServiceRolloutWatcher(swarm, TimeSpan.FromSeconds(timeoutSeconds), progress == null ? null : (Action<ServiceRolloutProgress>)progress.Add) { PollInterval = TimeSpan.FromMilliseconds(200) };

        [Fact]
        public Task TasksThatExitWithAnErrorAreServiceTasksFailedWithTheirExitCode()
            => WithServiceAsync(new SwarmServiceSpec { Replicas = 2, Command = new[] { "sh", "-c", "exit 3" }, RestartCondition = "none" }, async (swarm, service, pin) =>
            {
                var progress = new List<ServiceRolloutProgress>();
                FailureException e = await Assert.ThrowsAsync<FailureException>(() => Watcher(swarm, 60, progress).WaitForTasksAsync(service, pin.Digest, None));
                Assert.Equal(ErrorCatalog.ServiceTasksFailed, e.Kind);
                Assert.Matches($@"^The tasks of service {service.Name} fail \(0 of 2 running {pin.Digest}\): task [0-9a-z]{{12}} failed \(exit code 3\): [^;]+; task [0-9a-z]{{12}} failed \(exit code 3\): [^;]+\. The service exists; Swarm keeps retrying it\.$", e.Message);
                Assert.All(progress, p => Assert.Equal((service.Name, 2UL), (p.Service, p.Desired)));
            });

        [Fact]
        public Task ATaskWhoseCommandEndsIsServiceTasksFailedAsComplete()
            => WithServiceAsync(new SwarmServiceSpec { Replicas = 1, Command = new[] { "true" }, RestartCondition = "none" }, async (swarm, service, pin) =>
            {
                FailureException e = await Assert.ThrowsAsync<FailureException>(() => Watcher(swarm, 60, null).WaitForTasksAsync(service, pin.Digest, None));
                Assert.Equal(ErrorCatalog.ServiceTasksFailed, e.Kind);
                Assert.Matches($@"^The tasks of service {service.Name} fail \(0 of 1 running {pin.Digest}\): task [0-9a-z]{{12}} complete \(exit code 0\)\. The service exists; Swarm keeps retrying it\.$", e.Message);
            });

        [Fact]
        public Task AServiceScaledToZeroHasNothingToWaitFor()
            => WithServiceAsync(new SwarmServiceSpec { Replicas = 0 }, async (swarm, service, pin) =>
            {
                var progress = new List<ServiceRolloutProgress>();
                Assert.Equal(0UL, await Watcher(swarm, 10, progress).WaitForTasksAsync(service, pin.Digest, None));
                Assert.Equal((service.Name, 0UL, 0UL), (progress.Single().Service, progress.Single().Desired, progress.Single().Running));
            });

        [Fact]
        public Task ATaskThatRunsAMomentAndThenFailsIsNotConverged()
            => WithServiceAsync(new SwarmServiceSpec { Replicas = 1, Command = new[] { "sh", "-c", "sleep 2; exit 3" }, RestartCondition = "none" }, async (swarm, service, pin) =>
            {
                FailureException e = await Assert.ThrowsAsync<FailureException>(() => Watcher(swarm, 60, null).WaitForTasksAsync(service, pin.Digest, None));
                Assert.Equal(ErrorCatalog.ServiceTasksFailed, e.Kind);
            });

        [Fact]
        public Task OneFailedTaskOfTwoIsNotYetAFailureAndTheTimeoutNamesIt()
            => WithServiceAsync(new SwarmServiceSpec
            {
                Replicas = 1, RestartCondition = "none",
                Environment = { ["SLOT"] = "{{.Task.Slot}}" },   // Swarm's template: slot 2 fails, slot 1 runs
                Command = new[] { "sh", "-c", "[ \"$SLOT\" = 2 ] && exit 3; exec sleep 600" },
            }, async (swarm, service, pin) =>
            {
                // Scaled to two after the record was read: the watcher waits for what Swarm wants now, not the record's one.
                DockerCli.Run(Env.SwarmHost, "service", "scale", "--detach", service.Name + "=2");
                FailureException e = await Assert.ThrowsAsync<FailureException>(() => Watcher(swarm, 10, null).WaitForTasksAsync(service, pin.Digest, None));
                Assert.Equal(ErrorCatalog.ServiceWaitTimedOut, e.Kind);
                Assert.Matches($@"^Service {service.Name}: 1 of 2 tasks run {pin.Digest} after 10 s; stopped waiting for them to run it \(Swarm goes on\)\. Failed tasks: task [0-9a-z]{{12}} failed \(exit code 3\): [^;]+\.$", e.Message);
            });

        [Fact]
        public Task AnUpdateEndsWhenSwarmCompletesItAndTheNextRepinWaitsForItsOwnUpdate()
            => WithServiceAsync(new SwarmServiceSpec { Replicas = 1, Command = new[] { "sleep", "600" }, UpdateMonitor = TimeSpan.FromSeconds(1) }, async (swarm, service, pin) =>
            {
                ServiceImagePin alt = await AltPinAsync();
                var progress = new List<ServiceRolloutProgress>();
                EngineService before = await swarm.InspectServiceAsync(service.Id, None);
                UpdateImage(service.Name, alt.Image);
                Assert.Equal(1UL, await Watcher(swarm, 90, progress).WaitForUpdateAsync(before, alt.Digest, None));
                Assert.Equal((service.Name, 1UL, 1UL, "completed"), (progress.Last().Service, progress.Last().Running, progress.Last().Desired, progress.Last().UpdateState));

                // The first update's "completed" lingers until Swarm starts the second: it must not end this wait, even
                // when the watcher's first look comes before the second update is even asked for.
                EngineService between = await swarm.InspectServiceAsync(service.Id, None);
                var firstLook = new TaskCompletionSource<ServiceRolloutProgress>(TaskCreationOptions.RunContinuationsAsynchronously);
                var secondWatcher = new ServiceRolloutWatcher(swarm, TimeSpan.FromSeconds(90), p => firstLook.TrySetResult(p)) { PollInterval = TimeSpan.FromMilliseconds(200) };
                Task<ulong> secondWait = secondWatcher.WaitForUpdateAsync(between, pin.Digest, None);
                Assert.Equal("pending", (await firstLook.Task).UpdateState);
                UpdateImage(service.Name, pin.Image);
                Assert.Equal(1UL, await secondWait);
                IReadOnlyList<EngineServiceTask> tasks = await swarm.ListServiceTasksAsync(service.Id, None);
                Assert.Equal(new[] { pin.Digest }, tasks.Where(t => t.State == "running").Select(t => ServiceImagePin.DigestOf(t.Image)).ToArray());
            });

        [Fact]
        public Task AnUpdateWhoseTasksFailIsServiceRolledBackNamingTheFailedTask()
            => WithServiceAsync(new SwarmServiceSpec { Replicas = 1, Command = new[] { "sleep", "600" } }, async (swarm, service, pin) =>
            {
                ServiceImagePin alt = await AltPinAsync();
                EngineService before = await swarm.InspectServiceAsync(service.Id, None);
                UpdateImage(service.Name, alt.Image, "--args", "sh -c 'exit 3'", "--update-failure-action", "rollback", "--update-monitor", "2s", "--rollback-monitor", "1s");
                FailureException e = await Assert.ThrowsAsync<FailureException>(() => Watcher(swarm, 90, null).WaitForUpdateAsync(before, alt.Digest, None));
                Assert.Equal(ErrorCatalog.ServiceRolledBack, e.Kind);
                Assert.Matches($@"^Swarm rolled the service {service.Name} back from {alt.Digest} to {pin.Digest}: .+\. Failed tasks: task [0-9a-z]{{12}} failed \(exit code 3\): .+\.$", e.Message);

                // The same update again, later: the failed tasks of the first try (same digest) are not this update's.
                string[] firstTry = Regex.Matches(e.Message, "task ([0-9a-z]{12}) failed").Select(m => m.Groups[1].Value).ToArray();
                await Task.Delay(TimeSpan.FromSeconds(6));
                EngineService again = await swarm.InspectServiceAsync(service.Id, None);
                UpdateImage(service.Name, alt.Image, "--args", "sh -c 'exit 3'", "--update-failure-action", "rollback", "--update-monitor", "2s", "--rollback-monitor", "1s");
                e = await Assert.ThrowsAsync<FailureException>(() => Watcher(swarm, 90, null).WaitForUpdateAsync(again, alt.Digest, None));
                Assert.Equal(ErrorCatalog.ServiceRolledBack, e.Kind);
                Assert.Matches("Failed tasks: task [0-9a-z]{12} failed", e.Message);
                Assert.All(firstTry, id => Assert.DoesNotContain(id, e.Message));
            });

        [Fact]
        public Task AnUpdateThatKeepsTheDigestIsFollowedToSwarmsVerdict()
            => WithServiceAsync(new SwarmServiceSpec
            {
                Replicas = 1, UpdateFailureAction = "pause", UpdateMonitor = TimeSpan.FromSeconds(2),
                // Swarm's template: a task fails once the service's source label says "failing".
                Environment = { ["SOURCE"] = "{{index .Service.Labels \"" + PinLabels.SourceReference + "\"}}" },
                Command = new[] { "sh", "-c", "[ \"$SOURCE\" = failing ] && exit 3; exec sleep 600" },
            }, async (swarm, service, pin) =>
            {
                // Once its task runs: a repin onto the same digest (only the source label changes) whose new task fails,
                // written after the watcher's first look: the task it found runs the digest, but Swarm replaces it and pauses.
                Assert.Equal(1UL, await Watcher(swarm, 60, null).WaitForTasksAsync(service, pin.Digest, None));
                var plan = new ServiceRepinPlan(service, new ServiceImagePin(pin.Registry, pin.RepositoryName, pin.Tag, pin.Digest, "failing"));
                var firstLook = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                var watcher = new ServiceRolloutWatcher(swarm, TimeSpan.FromSeconds(90), p => firstLook.TrySetResult(true)) { PollInterval = TimeSpan.FromMilliseconds(200) };
                Task<ulong> wait = watcher.WaitForUpdateAsync(service, pin.Digest, None);
                await firstLook.Task;
                await new PinnedServiceUpdater(swarm).ApplyAsync(plan, null, None);
                FailureException e = await Assert.ThrowsAsync<FailureException>(() => wait);
                Assert.Equal(ErrorCatalog.ServiceUpdatePaused, e.Kind);
            });

        [Fact]
        public Task AnUpdateSwarmPausesIsServiceUpdatePausedNamingTheFailedTask()
            => WithServiceAsync(new SwarmServiceSpec { Replicas = 1, Command = new[] { "sleep", "600" } }, async (swarm, service, pin) =>
            {
                ServiceImagePin alt = await AltPinAsync();
                EngineService before = await swarm.InspectServiceAsync(service.Id, None);
                UpdateImage(service.Name, alt.Image, "--args", "sh -c 'exit 3'", "--update-failure-action", "pause", "--update-monitor", "2s");
                FailureException e = await Assert.ThrowsAsync<FailureException>(() => Watcher(swarm, 90, null).WaitForUpdateAsync(before, alt.Digest, None));
                Assert.Equal(ErrorCatalog.ServiceUpdatePaused, e.Kind);
                Assert.Matches($@"^Swarm paused the update of service {service.Name} to {alt.Digest}: .+\. Failed tasks: task [0-9a-z]{{12}} failed \(exit code 3\): .+\. Resume or roll back with the docker CLI, or fix the image and run Update-PinnedService again\.$", e.Message);
            });

        [Fact]
        public Task ATaskThatFailedJustBeforeTheWatchBeganIsStillNamed()
            => WithServiceAsync(new SwarmServiceSpec { Replicas = 1, Command = new[] { "sleep", "600" } }, async (swarm, service, pin) =>
            {
                // The update is asked for and has failed before the watch begins (a slow caller, or clocks a little
                // apart): failures stamped up to 5 s before the watch are this update's and must be named.
                ServiceImagePin alt = await AltPinAsync();
                EngineService before = await swarm.InspectServiceAsync(service.Id, None);
                UpdateImage(service.Name, alt.Image, "--args", "sh -c 'exit 3'", "--update-failure-action", "pause", "--update-monitor", "2s");
                DateTime deadline = DateTime.UtcNow.AddSeconds(60);
                while (!(await swarm.ListServiceTasksAsync(service.Id, None)).Any(t => t.HasFailed && ServiceImagePin.DigestOf(t.Image) == alt.Digest))
                {
                    Assert.True(DateTime.UtcNow < deadline, "the updated task never failed");
                    await Task.Delay(100);
                }
                FailureException e = await Assert.ThrowsAsync<FailureException>(() => Watcher(swarm, 90, null).WaitForUpdateAsync(before, alt.Digest, None));
                Assert.Equal(ErrorCatalog.ServiceUpdatePaused, e.Kind);
                Assert.Matches(@"\. Failed tasks: task [0-9a-z]{12} failed \(exit code 3\): .+\. Resume", e.Message);
            });

        [Fact]
        public Task ARollbackThatPausesTooIsServiceRolledBackAndSaysTheRollbackPaused()
            => WithServiceAsync(new SwarmServiceSpec { Replicas = 1, Command = new[] { "sleep", "600" } }, async (swarm, service, pin) =>
            {
                // Swarm pauses a rollback whose own tasks fail (--rollback-failure-action pause), but on this machine its
                // rollback completes about half the time instead; the proxy reports the paused one every time.
                ServiceImagePin alt = await AltPinAsync();
                await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.SwarmHost, TimeSpan.FromSeconds(30)))
                {
                    engines.Proxy.Rules.Add(new FaultRule { Method = "GET", Path = $"/services/{service.Id}$", Action = "replace-text", Find = "\"State\":\"rollback_completed\"", Value = "\"State\":\"rollback_paused\"" });
                    EngineService before = await engines.Client.InspectServiceAsync(service.Id, None);
                    UpdateImage(service.Name, alt.Image, "--args", "sh -c 'exit 3'", "--update-failure-action", "rollback", "--update-monitor", "2s", "--rollback-monitor", "1s");
                    FailureException e = await Assert.ThrowsAsync<FailureException>(() => Watcher(engines.Client, 90, null).WaitForUpdateAsync(before, alt.Digest, None));
                    Assert.Equal(ErrorCatalog.ServiceRolledBack, e.Kind);
                    Assert.Matches($@"^Swarm rolled the service {service.Name} back from {alt.Digest} to {pin.Digest} \(the rollback itself paused\): .+\. Failed tasks: task [0-9a-z]{{12}} failed \(exit code 3\): .+\.$", e.Message);
                }
            });

        [Fact]
        public Task AnEngineWithoutServiceStatusWaitsForTheServicesReplicaCount()
            => WithServiceAsync(new SwarmServiceSpec { Replicas = 2, Command = new[] { "sh", "-c", "exit 3" }, RestartCondition = "none" }, async (swarm, service, pin) =>
            {
                // Engines before API 1.41 send no ServiceStatus with the service list: the service's own replica count is
                // what is desired, not the number of tasks Swarm happens to list.
                await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.SwarmHost, TimeSpan.FromSeconds(30)))
                {
                    engines.Proxy.Rules.Add(new FaultRule { Method = "GET", Path = "/services\\?", Action = "replace-text", Find = "\"ServiceStatus\":", Value = "\"dt-NoServiceStatus\":" });
                    Assert.Null(await engines.Client.GetServiceTaskCountsAsync(service.Id, None));
                    var progress = new List<ServiceRolloutProgress>();
                    FailureException e = await Assert.ThrowsAsync<FailureException>(() => Watcher(engines.Client, 60, progress).WaitForTasksAsync(service, pin.Digest, None));
                    Assert.Equal(ErrorCatalog.ServiceTasksFailed, e.Kind);
                    Assert.StartsWith($"The tasks of service {service.Name} fail (0 of 2 running {pin.Digest}): ", e.Message);
                    Assert.All(progress, p => Assert.Equal(2UL, p.Desired));
                }
            });

        [Fact]
        public Task TasksThatCanNeverBeScheduledEndTheWaitAtItsDeadline()
            => WithServiceAsync(new SwarmServiceSpec { Replicas = 1, Command = new[] { "sleep", "600" }, Constraints = new List<string> { "node.labels.dt-nowhere==1" } }, async (swarm, service, pin) =>
            {
                var watcher = new ServiceRolloutWatcher(swarm, TimeSpan.FromSeconds(2), null) { PollInterval = TimeSpan.FromMilliseconds(200) };
                FailureException e = await Assert.ThrowsAsync<FailureException>(() => watcher.WaitForTasksAsync(service, pin.Digest, None));
                Assert.Equal(ErrorCatalog.ServiceWaitTimedOut, e.Kind);
                Assert.Equal($"Service {service.Name}: 0 of 1 tasks run {pin.Digest} after 2 s; stopped waiting for them to run it (Swarm goes on).", e.Message);

                // A spec that names the digest is not a finished update while its task cannot run.
                var updateWatcher = new ServiceRolloutWatcher(swarm, TimeSpan.FromSeconds(4), null) { PollInterval = TimeSpan.FromMilliseconds(200) };
                e = await Assert.ThrowsAsync<FailureException>(() => updateWatcher.WaitForUpdateAsync(service, pin.Digest, None));
                Assert.Equal(ErrorCatalog.ServiceWaitTimedOut, e.Kind);
                Assert.Equal($"Service {service.Name}: 0 of 1 tasks run {pin.Digest} after 4 s; stopped waiting for them to roll onto it (Swarm goes on).", e.Message);
            });

        [Fact]
        public Task AGlobalServiceWithNoNodeToRunOnIsNotDoneButTimesOut()
            => WithServiceAsync(new SwarmServiceSpec { Global = true, Command = new[] { "sleep", "600" }, Constraints = new List<string> { "node.labels.dt-nowhere==1" } }, async (swarm, service, pin) =>
            {
                var progress = new List<ServiceRolloutProgress>();
                var watcher = new ServiceRolloutWatcher(swarm, TimeSpan.FromSeconds(4), progress.Add) { PollInterval = TimeSpan.FromMilliseconds(200), ConvergeFor = TimeSpan.FromSeconds(1) };
                FailureException e = await Assert.ThrowsAsync<FailureException>(() => watcher.WaitForTasksAsync(service, pin.Digest, None));
                Assert.Equal(ErrorCatalog.ServiceWaitTimedOut, e.Kind);
                Assert.Equal($"Service {service.Name}: 0 of 0 tasks run {pin.Digest} after 4 s; stopped waiting for them to run it (Swarm goes on).", e.Message);
            });

        [Fact]
        public Task ATaskThatKeepsRunningConvergesAndAnUpdateWithNothingToRollEndsOnItsTasks()
            => WithServiceAsync(new SwarmServiceSpec { Replicas = 1, Command = new[] { "sleep", "600" } }, async (swarm, service, pin) =>
            {
                var progress = new List<ServiceRolloutProgress>();
                var watcher = new ServiceRolloutWatcher(swarm, TimeSpan.FromSeconds(60), progress.Add) { PollInterval = TimeSpan.FromMilliseconds(200), ConvergeFor = TimeSpan.FromSeconds(1) };
                Assert.Equal(1UL, await watcher.WaitForTasksAsync(service, pin.Digest, None));
                Assert.Equal((1UL, 1UL), (progress.Last().Running, progress.Last().Desired));

                // Never updated, its spec already names the digest and its one task runs it: nothing to roll.
                Assert.Equal(1UL, await Watcher(swarm, 60, null).WaitForUpdateAsync(await swarm.InspectServiceAsync(service.Id, None), pin.Digest, None));
            });

        [Fact]
        public async Task ATaskSwarmRejectsIsServiceTasksFailedWithSwarmsReasonAndNoExitCode()
        {
            ServiceImagePin real = await new ServiceImageResolver(new RegistryClientOptions()).ResolveAsync(ParsedReference.Parse(Env.OciReference), null, None);
            var absent = new ServiceImagePin(real.Registry, real.RepositoryName, real.Tag, "sha256:" + new string('a', 64), null);   // no such manifest: the node cannot pull it
            string name = "dt-watch-" + Guid.NewGuid().ToString("n").Substring(0, 10);
            using (EngineClient swarm = await EngineClient.ConnectAsync(DockerCli.Endpoint(Env.SwarmHost), None))
            {
                try
                {
                    var spec = new SwarmServiceSpec { Name = name, Replicas = 1, Command = new[] { "sleep", "600" }, RestartCondition = "none" };
                    EngineService service = await new PinnedServiceCreator(swarm).CreateAsync(spec, absent, null, None);
                    FailureException e = await Assert.ThrowsAsync<FailureException>(() => Watcher(swarm, 60, null).WaitForTasksAsync(service, absent.Digest, None));
                    Assert.Equal(ErrorCatalog.ServiceTasksFailed, e.Kind);
                    Assert.Matches($@"^The tasks of service {name} fail \(0 of 1 running {absent.Digest}\): task [0-9a-z]{{12}} rejected: .+\. The service exists; Swarm keeps retrying it\.$", e.Message);
                    Assert.DoesNotContain("exit code", e.Message);
                }
                finally
                {
                    try { DockerCli.Run(Env.SwarmHost, "service", "rm", name); } catch (InvalidOperationException) { }
                }
            }
        }

        [Fact]
        public Task AnUpdateWithNoTaskToRollEndsOnceTheSpecNamesTheNewDigest()
            => WithServiceAsync(new SwarmServiceSpec { Replicas = 0, Command = new[] { "sleep", "600" } }, async (swarm, service, pin) =>
            {
                var progress = new List<ServiceRolloutProgress>();
                var watcher = new ServiceRolloutWatcher(swarm, TimeSpan.FromSeconds(60), progress.Add) { PollInterval = TimeSpan.FromMilliseconds(200) };
                Assert.Equal(0UL, await watcher.WaitForUpdateAsync(service, pin.Digest, None));
                Assert.NotEmpty(progress);
                Assert.All(progress, p => Assert.Equal((service.Name, 0UL, 0UL, "pending"), (p.Service, p.Running, p.Desired, p.UpdateState)));
            });

        [Fact]
        public async Task AServiceThatDisappearsDuringItsUpdateIsServiceNotFound()
        {
            using (EngineClient swarm = await EngineClient.ConnectAsync(DockerCli.Endpoint(Env.SwarmHost), None))
            {
                var gone = new EngineService { Id = "dt-no-such-service-id", Name = "dt-gone" };
                FailureException e = await Assert.ThrowsAsync<FailureException>(() =>
                    new ServiceRolloutWatcher(swarm, TimeSpan.FromSeconds(10), null).WaitForUpdateAsync(gone, "sha256:" + new string('a', 64), None));
                Assert.Equal(ErrorCatalog.ServiceNotFound, e.Kind);
                Assert.Equal("The service dt-gone disappeared during its update.", e.Message);
            }
        }
    }
}
