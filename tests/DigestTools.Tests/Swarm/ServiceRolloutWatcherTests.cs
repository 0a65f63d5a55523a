using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Swarm;
using DigestTools.Tests.Pinning;
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

        [Fact]
        public Task TasksThatExitWithAnErrorAreServiceTasksFailedWithTheirExitCode()
            => WithServiceAsync(new SwarmServiceSpec { Replicas = 1, Command = new[] { "sh", "-c", "exit 3" }, RestartCondition = "none" }, async (swarm, service, pin) =>
            {
                var progress = new List<ServiceRolloutProgress>();
                var watcher = new ServiceRolloutWatcher(swarm, TimeSpan.FromSeconds(60), progress.Add) { PollInterval = TimeSpan.FromMilliseconds(200) };
                FailureException e = await Assert.ThrowsAsync<FailureException>(() => watcher.WaitForTasksAsync(service, pin.Digest, None));
                Assert.Equal(ErrorCatalog.ServiceTasksFailed, e.Kind);
                Assert.Matches($@"^The tasks of service {service.Name} fail \(0 of 1 running {pin.Digest}\): task [0-9a-z]{{12}} failed \(exit code 3\): .+\. The service exists; Swarm keeps retrying it\.$", e.Message);
                Assert.All(progress, p => Assert.Equal((service.Name, 1UL), (p.Service, p.Desired)));
            });

        [Fact]
        public Task TasksThatCanNeverBeScheduledEndTheWaitAtItsDeadline()
            => WithServiceAsync(new SwarmServiceSpec { Replicas = 1, Command = new[] { "sleep", "600" }, Constraints = new List<string> { "node.labels.dt-nowhere==1" } }, async (swarm, service, pin) =>
            {
                var watcher = new ServiceRolloutWatcher(swarm, TimeSpan.FromSeconds(2), null) { PollInterval = TimeSpan.FromMilliseconds(200) };
                FailureException e = await Assert.ThrowsAsync<FailureException>(() => watcher.WaitForTasksAsync(service, pin.Digest, None));
                Assert.Equal(ErrorCatalog.ServiceWaitTimedOut, e.Kind);
                Assert.Equal($"Service {service.Name}: 0 of 1 tasks run {pin.Digest} after 2 s; stopped waiting for them to run it (Swarm goes on).", e.Message);
            });

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
