using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Tests.Pinning;
using DigestTools.Tests.Support;
using DigestTools.Tests.Swarm;
using DigestTools.TestServers;
using DigestTools.Tests.Drift;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// EngineClient's Swarm calls against the suite's real single-node Swarm: services others made (any mode, no
    /// labels), task counts and tasks, an update that keeps what it does not change, and the Swarm's refusals and
    /// failures (through the fault proxy) each with its own ErrorId and the request named.
    /// </summary>
    public sealed class EngineServiceTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;
        private static readonly CancellationToken None = CancellationToken.None;
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);


        // A service made with the docker CLI, as someone else would: no DigestTools labels unless given.
        private static string CreateWithCli(string name, params string[] options)
            => DockerCli.Run(Env.SwarmHost, new[] { "service", "create", "--detach", "--name", name }.Concat(options).Concat(new[] { Env.OciReference, "sleep", "600" }).ToArray());

        private static void Remove(params string[] names)
        {
            foreach (string name in names)
                try { DockerCli.Run(Env.SwarmHost, "service", "rm", name); } catch (InvalidOperationException) { }
        }

        private static Task<EngineClient> SwarmAsync() => EngineClient.ConnectAsync(DockerCli.Endpoint(Env.SwarmHost), Timeout, None);

        [Fact]
        public async Task ListsServicesOthersMadeInEveryModeWithTheSwarmsVersionAndNoLabels()
        {
            string replicated = LiveTools.UniqueName("dt-svc"), global = LiveTools.UniqueName("dt-svc"), replicatedJob = LiveTools.UniqueName("dt-svc"), globalJob = LiveTools.UniqueName("dt-svc");
            try
            {
                CreateWithCli(replicated, "--replicas", "0");
                CreateWithCli(global, "--mode", "global", "--restart-condition", "none");
                CreateWithCli(replicatedJob, "--mode", "replicated-job", "--replicas", "0");
                CreateWithCli(globalJob, "--mode", "global-job");
                using (EngineClient swarm = await SwarmAsync())
                {
                    IReadOnlyList<EngineService> services = await swarm.ListServicesAsync(None);
                    EngineService Named(string name) => Assert.Single(services, s => s.Name == name);
                    Assert.Equal(("replicated", (ulong?)0UL), (Named(replicated).Mode, Named(replicated).Replicas));
                    Assert.Equal(("global", (ulong?)null), (Named(global).Mode, Named(global).Replicas));
                    Assert.Equal("replicated-job", Named(replicatedJob).Mode);
                    Assert.Equal("global-job", Named(globalJob).Mode);
                    Assert.Empty(Named(replicated).Labels);
                    Assert.Equal(ulong.Parse(DockerCli.Run(Env.SwarmHost, "service", "inspect", "--format", "{{.Version.Index}}", replicated)), Named(replicated).Version);
                    Assert.Equal(Env.OciReference, Named(replicated).Image.Split('@')[0]);
                }
            }
            finally
            {
                Remove(replicated, global, replicatedJob, globalJob);
            }
        }

        [Fact]
        public async Task AServiceMadeThroughTheApiWithNoLabelMapAtAllHasNoLabels()
        {
            // The CLI always sends a label map; an API client may send none (as this one does without labels), and
            // Docker still answers "Labels": {} for it.
            string name = LiveTools.UniqueName("dt-svc");
            try
            {
                using (EngineClient swarm = await SwarmAsync())
                {
                    await swarm.CreateServiceAsync(new SwarmServiceSpec { Name = name, Image = Env.OciReference, Replicas = 0 }, null, None);
                    Assert.Empty((await swarm.InspectServiceAsync(name, None)).Labels);
                    Assert.Empty(Assert.Single(await swarm.ListServicesAsync(None), s => s.Name == name).Labels);
                }
            }
            finally
            {
                Remove(name);
            }
        }

        [Fact]
        public async Task CountsAndListsTheTasksOfOneServiceNewestFirstWithTheirSlots()
        {
            string name = LiveTools.UniqueName("dt-svc");
            try
            {
                CreateWithCli(name, "--replicas", "2");
                using (EngineClient swarm = await SwarmAsync())
                {
                    string id = (await swarm.InspectServiceAsync(name, None)).Id;
                    (ulong Desired, ulong Running)? counts = null;
                    for (DateTime end = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < end && counts?.Running != 2; await Task.Delay(250))
                        counts = await swarm.GetServiceTaskCountsAsync(id, None);
                    Assert.Equal(((ulong)2, (ulong)2), counts);
                    Assert.Null(await swarm.GetServiceTaskCountsAsync("dt-no-such-service", None));

                    IReadOnlyList<EngineServiceTask> tasks = await swarm.ListServiceTasksAsync(id, None);
                    Assert.Equal(new ulong?[] { 1, 2 }, tasks.Select(t => t.Slot).OrderBy(s => s).ToArray());
                    Assert.All(tasks, t => Assert.Equal(id, t.ServiceId));
                    Assert.Equal(tasks.OrderByDescending(t => t.Timestamp).Select(t => t.Id), tasks.Select(t => t.Id));
                    Assert.NotEqual(tasks[0].Timestamp, tasks[1].Timestamp);
                }
            }
            finally
            {
                Remove(name);
            }
        }

        [Fact]
        public async Task TheTasksOfAGlobalServiceHaveNoSlot()
        {
            string name = LiveTools.UniqueName("dt-svc");
            try
            {
                CreateWithCli(name, "--mode", "global");
                using (EngineClient swarm = await SwarmAsync())
                {
                    string id = (await swarm.InspectServiceAsync(name, None)).Id;
                    IReadOnlyList<EngineServiceTask> tasks = Array.Empty<EngineServiceTask>();
                    for (DateTime end = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < end && tasks.Count == 0; await Task.Delay(250))
                        tasks = await swarm.ListServiceTasksAsync(id, None);
                    Assert.NotEmpty(tasks);
                    Assert.All(tasks, t => Assert.Null(t.Slot));
                }
            }
            finally
            {
                Remove(name);
            }
        }

        [Fact]
        public async Task AnUpdateKeepsTheLabelsItDoesNotChangeAndWorksOnAServiceWithoutContainerLabels()
        {
            string name = LiveTools.UniqueName("dt-svc");
            try
            {
                CreateWithCli(name, "--replicas", "0", "--label", "owner=ops");
                using (EngineClient swarm = await SwarmAsync())
                {
                    string image = Env.OciReference + "@" + Env.OciDigest;
                    await swarm.UpdateServiceImageAsync(name, image, new Dictionary<string, string> { ["dt-pin"] = "yes" }, null, None);
                    Assert.Equal("{\"dt-pin\":\"yes\",\"owner\":\"ops\"}", DockerCli.Run(Env.SwarmHost, "service", "inspect", "--format", "{{json .Spec.Labels}}", name));
                    Assert.Equal("{\"dt-pin\":\"yes\"}", DockerCli.Run(Env.SwarmHost, "service", "inspect", "--format", "{{json .Spec.TaskTemplate.ContainerSpec.Labels}}", name));
                    Assert.Equal(image, DockerCli.Run(Env.SwarmHost, "service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}", name));

                    FailureException taken = await Assert.ThrowsAsync<FailureException>(() =>
                        swarm.CreateServiceAsync(new SwarmServiceSpec { Name = name, Image = image, Replicas = 0 }, null, None));
                    Assert.Equal(ErrorCatalog.ServiceNameInUse, taken.Kind);
                    Assert.StartsWith($"A service named '{name}' already exists: ", taken.Message);
                }
            }
            finally
            {
                Remove(name);
            }
        }

        [Fact]
        public async Task UpdatingAServiceTheSwarmDoesNotHaveIsServiceNotFound()
        {
            using (EngineClient swarm = await SwarmAsync())
            {
                FailureException e = await Assert.ThrowsAsync<FailureException>(() =>
                    swarm.UpdateServiceImageAsync("dt-no-such-service", "r/app@sha256:" + new string('a', 64), null, null, None));
                Assert.Equal((ErrorCatalog.ServiceNotFound.Id, "The Swarm has no service 'dt-no-such-service'."), (e.Kind.Id, e.Message));
            }
        }

        [Theory]
        [InlineData("\"ControlAvailable\":true", "\"ControlAvailable\":false", "is a Swarm worker, not a manager: point -EngineUri at a manager node.")]
        [InlineData("\"LocalNodeState\":\"active\"", "\"LocalNodeState\":\"pending\"", "is not part of a Swarm (state 'pending'): run `docker swarm init` there, or point -EngineUri at a manager.")]
        [InlineData("\"Swarm\":", "\"NoSwarm\":", "is not part of a Swarm (state 'unknown'): run `docker swarm init` there, or point -EngineUri at a manager.")]
        [InlineData("\"LocalNodeState\":\"active\"", "\"LocalNodeState\":\"\"", "is not part of a Swarm (state 'unknown'): run `docker swarm init` there, or point -EngineUri at a manager.")]
        public async Task AnEngineThatIsNoSwarmManagerSaysWhatItIs(string find, string value, string said)
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.SwarmHost, Timeout))
            {
                engines.Proxy.Rules.Add(new FaultRule { Method = "GET", Path = "/info", Action = "replace-text", Find = find, Value = value });
                FailureException e = await Assert.ThrowsAsync<FailureException>(() => engines.Client.EnsureSwarmManagerAsync(None));
                Assert.Equal(ErrorCatalog.NotSwarmManager, e.Kind);
                Assert.Equal($"The engine at tcp://{engines.Proxy.Address} {said}", e.Message);
            }
        }

        [Fact]
        public async Task EverySwarmRequestTheEngineFailsNamesItselfWithItsOwnErrorId()
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.SwarmHost, Timeout))
            {
                EngineClient client = engines.Client;
                string service = LiveTools.UniqueName("dt-svc");
                async Task Fails(string method, string path, int status, string message, ErrorKind kind, string said, Func<Task> call)
                {
                    engines.Proxy.Rules.Clear();
                    engines.Proxy.Rules.Add(FaultRule.EngineError(method, path, status, message));
                    FailureException e = await Assert.ThrowsAsync<FailureException>(call);
                    Assert.Equal((kind.Id, said), (e.Kind.Id, e.Message));
                }
                var spec = new SwarmServiceSpec { Name = service, Image = Env.OciReference, Replicas = 0 };
                await Fails("GET", "/info", 500, "disk on fire", ErrorCatalog.SwarmRequestFailed,
                    "The engine could not read the engine's Swarm state: disk on fire", () => client.EnsureSwarmManagerAsync(None));
                await Fails("POST", "/services/create", 500, "disk on fire", ErrorCatalog.ServiceCreationFailed,
                    $"The engine could not create the service {service}: disk on fire", () => client.CreateServiceAsync(spec, null, None));
                await Fails("GET", "/services/" + service, 500, "disk on fire", ErrorCatalog.ServiceInspectFailed,
                    $"The engine could not inspect the service {service}: disk on fire", () => client.InspectServiceAsync(service, None));
                await Fails("GET", "/services", 500, "disk on fire", ErrorCatalog.SwarmRequestFailed,
                    "The engine could not list services: disk on fire", () => client.ListServicesAsync(None));
                await Fails("GET", "/services", 500, "disk on fire", ErrorCatalog.SwarmRequestFailed,
                    "The engine could not list services: disk on fire", () => client.GetServiceTaskCountsAsync("abc", None));
                await Fails("GET", "/tasks", 500, "disk on fire", ErrorCatalog.SwarmRequestFailed,
                    "The engine could not list the tasks of service abc: disk on fire", () => client.ListServiceTasksAsync("abc", None));
                // Any 503, or the words in any status: what a standalone engine or a worker answers to a Swarm request.
                await Fails("GET", "/services", 503, "busy", ErrorCatalog.NotSwarmManager, "busy", () => client.ListServicesAsync(None));
                await Fails("GET", "/services", 500, "not a swarm manager", ErrorCatalog.NotSwarmManager, "not a swarm manager", () => client.ListServicesAsync(None));
            }
        }

        [Fact]
        public async Task AnUpdateTheEngineFailsIsServiceUpdateFailedAndAServiceGoneMeanwhileIsServiceNotFound()
        {
            string name = LiveTools.UniqueName("dt-svc");
            try
            {
                CreateWithCli(name, "--replicas", "0");
                await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.SwarmHost, Timeout))
                {
                    string image = Env.OciReference + "@" + Env.OciDigest;
                    engines.Proxy.Rules.Add(FaultRule.EngineError("POST", "/update", 500, "disk on fire"));
                    FailureException failed = await Assert.ThrowsAsync<FailureException>(() => engines.Client.UpdateServiceImageAsync(name, image, null, null, None));
                    Assert.Equal((ErrorCatalog.ServiceUpdateFailed.Id, $"The engine could not update the service {name}: disk on fire"), (failed.Kind.Id, failed.Message));

                    engines.Proxy.Rules.Clear();
                    engines.Proxy.Rules.Add(FaultRule.EngineError("POST", "/update", 404, "service not found"));
                    FailureException gone = await Assert.ThrowsAsync<FailureException>(() => engines.Client.UpdateServiceImageAsync(name, image, null, null, None));
                    Assert.Equal((ErrorCatalog.ServiceNotFound.Id, $"The engine could not update the service {name}: service not found"), (gone.Kind.Id, gone.Message));
                }
            }
            finally
            {
                Remove(name);
            }
        }
    }
}
