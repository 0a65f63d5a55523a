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
    /// <summary>The Swarm workflows without PowerShell, against the real single-node Swarm, dockerd and Podman of the test environment.</summary>
    public sealed class SwarmServiceWorkflowTests
    {
        private static readonly CancellationToken None = CancellationToken.None;
        private readonly TestEnvironment _env = TestEnvironment.Current;

        [Fact]
        public async Task TheSwarmEngineIsAManager()
        {
            using (EngineClient swarm = await EngineClient.ConnectAsync(DockerCli.Endpoint(_env.SwarmHost), None))
                await swarm.EnsureSwarmManagerAsync(None);   // throws otherwise
        }

        [Theory]
        [InlineData("docker", "is not part of a Swarm (state 'inactive')")]
        [InlineData("podman", "which has no Swarm")]
        public async Task EnginesWithoutSwarmGiveNotSwarmManager(string engine, string expected)
        {
            string address = engine == "docker" ? _env.DockerHost : _env.PodmanHost;
            using (EngineClient client = await EngineClient.ConnectAsync(DockerCli.Endpoint(address), None))
            {
                FailureException e = await Assert.ThrowsAsync<FailureException>(() => client.EnsureSwarmManagerAsync(None));
                Assert.Equal("NotSwarmManager", e.ErrorId);
                Assert.Equal(FailureCategory.InvalidOperation, e.Category);
                Assert.Contains(expected, e.Message);
            }
        }

        [Fact]
        public async Task ACreatedServiceRunsThePinnedDigestOnEveryTaskAndAnUnmovedTagPlansNoUpdate()
        {
            string name = "dt-xunit-" + Guid.NewGuid().ToString("n").Substring(0, 8);
            var parsed = ParsedReference.Parse(_env.OciReference);
            ServiceImagePin pin = await new ServiceImageResolver(new RegistryClientOptions()).ResolveAsync(parsed, null, None);
            Assert.Equal(_env.OciDigest, pin.Digest);
            Assert.Equal(parsed.Name + ":oci@" + _env.OciDigest, pin.Image);

            using (EngineClient swarm = await EngineClient.ConnectAsync(DockerCli.Endpoint(_env.SwarmHost), None))
            {
                try
                {
                    var spec = new SwarmServiceSpec { Name = name, Replicas = 2, Command = new[] { "sleep", "600" } };
                    EngineService created = await new PinnedServiceCreator(swarm).CreateAsync(spec, pin, null, None);
                    Assert.Equal(pin.Image, created.Image);
                    Assert.Equal(pin.Digest, created.Labels[PinLabels.Digest]);
                    Assert.Equal(parsed.ToString(), created.Labels[PinLabels.SourceReference]);
                    Assert.Equal("replicated", created.Mode);
                    Assert.Equal(2UL, created.Replicas);

                    var progress = new List<ServiceRolloutProgress>();
                    ulong running = await new ServiceRolloutWatcher(swarm, TimeSpan.FromSeconds(120), progress.Add).WaitForTasksAsync(created, pin.Digest, None);
                    Assert.Equal(2UL, running);
                    Assert.Equal(2UL, progress.Last().Running);

                    IReadOnlyList<EngineServiceTask> tasks = await swarm.ListServiceTasksAsync(created.Id, None);
                    Assert.Equal(new[] { pin.Image, pin.Image }, tasks.Where(t => t.DesiredState == "running").Select(t => t.Image).ToArray());
                    // The engine's own record of each task's container, not our DTO.
                    foreach (EngineServiceTask task in tasks.Where(t => t.State == "running"))
                        Assert.Equal(pin.Image, DockerCli.Run(_env.SwarmHost, "inspect", "--type", "container", "--format", "{{.Config.Image}}", task.ContainerId));

                    var updater = new PinnedServiceUpdater(swarm);
                    EngineService found = await updater.FindAsync(name, None);
                    Assert.Equal(parsed.ToString(), PinnedServiceUpdater.SourceReferenceOf(found));
                    ServiceRepinPlan plan = await updater.PlanAsync(found, null, new ServiceImageResolver(new RegistryClientOptions()), None);
                    Assert.False(plan.Changes);
                    Assert.Equal(pin.Digest, plan.OldDigest);
                }
                finally
                {
                    try { DockerCli.Run(_env.SwarmHost, "service", "rm", name); } catch (InvalidOperationException) { }
                }
            }
        }
    }
}
