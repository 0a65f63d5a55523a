using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Drift;
using DigestTools.Engine.Errors;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Swarm;
using DigestTools.Tests.Pinning;
using DigestTools.Tests.Swarm;
using Xunit;

namespace DigestTools.Tests.Drift
{
    /// <summary>
    /// ServiceDriftCheck against the real single-node Swarm and registry. The services are made by the docker CLI
    /// with no replicas (nothing to schedule, so the spec alone decides) and --no-resolve-image, so each spec keeps
    /// exactly the image written: pinned by the tag's digest, by a digest the registry lacks, by a tag alone.
    /// </summary>
    public sealed class ServiceDriftCheckTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;
        private static readonly CancellationToken None = CancellationToken.None;

        private static string CreateService(string name, string image, string sourceLabel = null)
        {
            var arguments = new List<string> { "service", "create", "--detach", "--quiet", "--no-resolve-image", "--replicas", "0", "--name", name };
            if (sourceLabel != null) arguments.AddRange(new[] { "--label", PinLabels.SourceReference + "=" + sourceLabel });
            arguments.AddRange(new[] { image, "sleep", "600" });
            return DockerCli.Run(Env.SwarmHost, arguments.ToArray());
        }

        [Fact]
        public async Task EachServiceGetsTheStatusItsSpecAndTheRegistryGiveIt()
        {
            string run = Guid.NewGuid().ToString("n").Substring(0, 8);
            var tagged = ParsedReference.Parse($"{Env.Registry}/service-drift-{run}/busybox:v1");
            await RegistryCopy.CopyAsync(ParsedReference.Parse(Env.OciReference), tagged);
            string absent = "sha256:" + new string('a', 64);
            var names = new[] { "dt-sd-pinned-" + run, "dt-sd-moved-" + run, "dt-sd-tagonly-" + run, "dt-sd-missing-" + run, "dt-sd-digestonly-" + run };
            try
            {
                CreateService(names[0], $"{tagged}@{Env.OciDigest}", tagged.ToString());
                CreateService(names[2], tagged.ToString());
                CreateService(names[3], $"{tagged.Name}@{absent}");
                CreateService(names[4], $"{tagged.Name}@{Env.OciDigest}");
                // Its label follows a tag of its own, which is then moved to other bytes.
                var moving = ParsedReference.Parse($"{tagged.Name}:moving");
                await RegistryCopy.CopyAsync(ParsedReference.Parse(Env.OciReference), moving);
                CreateService(names[1], $"{moving}@{Env.OciDigest}", moving.ToString());
                await RegistryCopy.CopyAsync(ParsedReference.Parse(Env.OciAltReference), moving);

                using (EngineClient swarm = await EngineClient.ConnectAsync(DockerCli.Endpoint(Env.SwarmHost), None))
                using (var lookups = new DriftRegistryLookups(new RegistryClientOptions(), 4, new RecordingLog()))
                {
                    IReadOnlyList<ServiceDriftResult> results = await new ServiceDriftCheck(swarm, lookups).CheckAsync(names.Concat(new[] { "dt-sd-nothing-" + run }).ToList(), None);
                    Assert.Equal(names.Concat(new[] { "dt-sd-nothing-" + run }).ToArray(), results.Select(r => r.Target).ToArray());

                    ServiceDrift pinned = results[0].Drift;
                    Assert.Equal((names[0], ContainerDriftStatus.Current), (pinned.Name, pinned.Status));
                    Assert.Equal((Env.OciDigest, Env.OciDigest, "v1"), (pinned.SpecDigest, pinned.CurrentDigest, pinned.Tag));
                    Assert.Equal((tagged.Name, tagged.ToString(), 0), (pinned.Repository, pinned.SourceReference, pinned.RunningTasks));
                    Assert.Equal(swarm.Endpoint.Address.OriginalString, pinned.Engine);
                    Assert.Empty(pinned.TaskDigests);
                    Assert.Null(pinned.Error);

                    ServiceDrift moved = results[1].Drift;
                    Assert.Equal((ContainerDriftStatus.TagMoved, "moving", Env.OciDigest), (moved.Status, moved.Tag, moved.SpecDigest));
                    Assert.NotEqual(Env.OciDigest, moved.CurrentDigest);

                    // No digest in the spec and no task running: nothing proves the nodes run what the tag names.
                    ServiceDrift tagOnly = results[2].Drift;
                    Assert.Equal((ContainerDriftStatus.TagMoved, (string)null, Env.OciDigest), (tagOnly.Status, tagOnly.SpecDigest, tagOnly.CurrentDigest));

                    ServiceDrift missing = results[3].Drift;
                    Assert.Equal((ContainerDriftStatus.PinMissing, absent, (string)null), (missing.Status, missing.SpecDigest, missing.Tag));

                    ServiceDrift digestOnly = results[4].Drift;
                    Assert.Equal((ContainerDriftStatus.Current, (string)null, (string)null), (digestOnly.Status, digestOnly.Tag, digestOnly.CurrentDigest));

                    Assert.Null(results[5].Drift);
                    FailureException notFound = Assert.IsType<FailureException>(results[5].Failure);
                    Assert.Equal(ErrorCatalog.ServiceNotFound, notFound.Kind);
                    Assert.Equal($"The Swarm has no service 'dt-sd-nothing-{run}'.", notFound.Message);
                    // One registry question per distinct tag and per digest that needed one.
                    Assert.Equal(2, lookups.TagLookups);

                    IReadOnlyList<ServiceDriftResult> listed = await new ServiceDriftCheck(swarm, lookups).CheckAsync(null, None);
                    ServiceDriftResult listedPinned = Assert.Single(listed, r => r.Drift?.Name == names[0]);
                    Assert.Equal(pinned.Id, listedPinned.Target);
                    Assert.Equal(ContainerDriftStatus.Current, listedPinned.Drift.Status);
                }
            }
            finally
            {
                foreach (string name in names) { try { DockerCli.Run(Env.SwarmHost, "service", "rm", name); } catch (InvalidOperationException) { } }
            }
        }

        [Fact]
        public async Task AnEngineThatIsNoSwarmManagerFailsTheWholeCheck()
        {
            using (EngineClient docker = await EngineClient.ConnectAsync(DockerCli.Endpoint(Env.DockerHost), None))
            using (var lookups = new DriftRegistryLookups(new RegistryClientOptions(), 4, new RecordingLog()))
            {
                string expected = $"The engine at {Env.DockerHost} is not part of a Swarm (state 'inactive'): run `docker swarm init` there, or point -EngineUri at a manager.";
                FailureException e = await Assert.ThrowsAsync<FailureException>(() => new ServiceDriftCheck(docker, lookups).CheckAsync(null, None));
                Assert.Equal((ErrorCatalog.NotSwarmManager, expected), (e.Kind, e.Message));
                // Named services too: one failure for the call, not a ServiceNotFound per name.
                e = await Assert.ThrowsAsync<FailureException>(() => new ServiceDriftCheck(docker, lookups).CheckAsync(new[] { "dt-any-service" }, None));
                Assert.Equal((ErrorCatalog.NotSwarmManager, expected), (e.Kind, e.Message));
            }
        }

        [Fact]
        public async Task ALabelNamingAnotherTagIsFollowedAndImagesDigestToolsCannotReadAreUnknown()
        {
            string run = Guid.NewGuid().ToString("n").Substring(0, 8);
            var tagged = ParsedReference.Parse($"{Env.Registry}/service-drift-{run}/busybox:v1");
            await RegistryCopy.CopyAsync(ParsedReference.Parse(Env.OciReference), tagged);
            var other = ParsedReference.Parse($"{tagged.Name}:other");
            await RegistryCopy.CopyAsync(ParsedReference.Parse(Env.OciAltReference), other);
            string unreadable = "127.0.0.1:99999/dt/busybox:v1";   // a port no registry has: Swarm stores it, DigestTools refuses it
            var names = new[] { "dt-sd-label-" + run, "dt-sd-badport-" + run, "dt-sd-bare-" + run };
            try
            {
                CreateService(names[0], $"{tagged}@{Env.OciDigest}", other.ToString());
                CreateService(names[1], unreadable);
                using (EngineClient swarm = await EngineClient.ConnectAsync(DockerCli.Endpoint(Env.SwarmHost), None))
                using (var lookups = new DriftRegistryLookups(new RegistryClientOptions(), 4, new RecordingLog()))
                {
                    // Through the API: the docker CLI would write ":latest" after a bare name, Swarm keeps what it is given.
                    await swarm.CreateServiceAsync(new SwarmServiceSpec { Name = names[2], Image = tagged.Name, Replicas = 0 }, null, None);
                    IReadOnlyList<ServiceDriftResult> results = await new ServiceDriftCheck(swarm, lookups).CheckAsync(names, None);

                    // The label's tag is what the service follows, not the tag written next to the digest.
                    ServiceDrift followed = results[0].Drift;
                    Assert.Equal((ContainerDriftStatus.TagMoved, "other", Env.OciDigest), (followed.Status, followed.Tag, followed.SpecDigest));
                    Assert.NotEqual(Env.OciDigest, followed.CurrentDigest);

                    ServiceDrift badPort = results[1].Drift;
                    Assert.Equal((ContainerDriftStatus.Unknown, unreadable), (badPort.Status, badPort.Image));
                    FailureException e = Assert.IsType<FailureException>(badPort.Error);
                    Assert.Equal((ErrorCatalog.InvalidReference, $"Service {names[1]}: its image '{unreadable}' is not a reference DigestTools can read."), (e.Kind, e.Message));

                    ServiceDrift bare = results[2].Drift;
                    Assert.Equal((ContainerDriftStatus.Unknown, tagged.Name), (bare.Status, bare.Image));
                    e = Assert.IsType<FailureException>(bare.Error);
                    Assert.Equal((ErrorCatalog.InvalidReference, $"Service {names[2]}: its image '{tagged.Name}' names neither a tag nor a digest."), (e.Kind, e.Message));
                }
            }
            finally
            {
                foreach (string name in names) { try { DockerCli.Run(Env.SwarmHost, "service", "rm", name); } catch (InvalidOperationException) { } }
            }
        }

        [Fact]
        public async Task ATagOnlySpecIsCurrentWhenItsRunningTasksRunWhatTheTagNames()
        {
            string run = Guid.NewGuid().ToString("n").Substring(0, 8);
            var tagged = ParsedReference.Parse($"{Env.Registry}/service-drift-{run}/busybox:v1");
            await RegistryCopy.CopyAsync(ParsedReference.Parse(Env.OciReference), tagged);
            string name = "dt-sd-running-" + run;
            try
            {
                // One task running the digest (the CLI waits for it), then the spec is moved to the bare tag with a
                // start-first update whose new task can never be placed: the old task goes on running, the new one pends.
                DockerCli.Run(Env.SwarmHost, "service", "create", "--quiet", "--no-resolve-image", "--replicas", "1", "--name", name, $"{tagged}@{Env.OciDigest}", "sleep", "600");
                DockerCli.Run(Env.SwarmHost, "service", "update", "--detach", "--quiet", "--no-resolve-image", "--image", tagged.ToString(),
                    "--update-order", "start-first", "--constraint-add", "node.labels.dt-nowhere==1", name);
                using (EngineClient swarm = await EngineClient.ConnectAsync(DockerCli.Endpoint(Env.SwarmHost), None))
                using (var lookups = new DriftRegistryLookups(new RegistryClientOptions(), 4, new RecordingLog()))
                {
                    ServiceDrift drift = (await new ServiceDriftCheck(swarm, lookups).CheckAsync(new[] { name }, None)).Single().Drift;
                    Assert.Equal((ContainerDriftStatus.Current, (string)null, Env.OciDigest, 1), (drift.Status, drift.SpecDigest, drift.CurrentDigest, drift.RunningTasks));
                    Assert.Equal(new[] { Env.OciDigest }, drift.TaskDigests);

                    // The tag moves: the running task no longer runs what it names.
                    await RegistryCopy.CopyAsync(ParsedReference.Parse(Env.OciAltReference), tagged);
                    using (var fresh = new DriftRegistryLookups(new RegistryClientOptions(), 4, new RecordingLog()))
                    {
                        drift = (await new ServiceDriftCheck(swarm, fresh).CheckAsync(new[] { name }, None)).Single().Drift;
                        Assert.Equal((ContainerDriftStatus.TagMoved, 1), (drift.Status, drift.RunningTasks));
                        Assert.NotEqual(Env.OciDigest, drift.CurrentDigest);
                    }
                }
            }
            finally
            {
                try { DockerCli.Run(Env.SwarmHost, "service", "rm", name); } catch (InvalidOperationException) { }
            }
        }

        [Fact]
        public async Task ATagOnlySpecWhoseTasksRunTwoDigestsIsTagMovedEvenWhenOneOfThemIsWhatTheTagNames()
        {
            string run = Guid.NewGuid().ToString("n").Substring(0, 8);
            var tagged = ParsedReference.Parse($"{Env.Registry}/service-drift-{run}/busybox:v1");
            var alt = ParsedReference.Parse($"{tagged.Name}:alt");
            await RegistryCopy.CopyAsync(ParsedReference.Parse(Env.OciReference), tagged);
            await RegistryCopy.CopyAsync(ParsedReference.Parse(Env.OciAltReference), alt);
            string name = "dt-sd-twodigests-" + run;
            try
            {
                using (EngineClient swarm = await EngineClient.ConnectAsync(DockerCli.Endpoint(Env.SwarmHost), None))
                using (var lookups = new DriftRegistryLookups(new RegistryClientOptions(), 4, new RecordingLog()))
                {
                    string altDigest = (await lookups.CurrentAsync(alt.Registry, alt.Repository, alt.Tag, null, None)).Digest;
                    // Two tasks on the tag's digest; a rolling update to the other digest replaces one task, then waits
                    // ten minutes before the next: one task runs each digest.
                    DockerCli.Run(Env.SwarmHost, "service", "create", "--quiet", "--no-resolve-image", "--replicas", "2", "--stop-grace-period", "1s",
                        "--name", name, $"{tagged}@{Env.OciDigest}", "sleep", "600");
                    DockerCli.Run(Env.SwarmHost, "service", "update", "--detach", "--quiet", "--no-resolve-image", "--image", $"{alt}@{altDigest}",
                        "--update-parallelism", "1", "--update-delay", "10m", "--update-order", "start-first", name);
                    string serviceId = (await swarm.InspectServiceAsync(name, None)).Id;
                    var deadline = DateTime.UtcNow.AddSeconds(60);
                    while (true)
                    {
                        var running = (await swarm.ListServiceTasksAsync(serviceId, None)).Where(t => t.DesiredState == "running" && t.State == "running")
                            .Select(t => ServiceImagePin.DigestOf(t.Image)).OrderBy(d => d, StringComparer.Ordinal).ToList();
                        if (running.SequenceEqual(new[] { Env.OciDigest, altDigest }.OrderBy(d => d, StringComparer.Ordinal))) break;
                        Assert.True(DateTime.UtcNow < deadline, "the rolling update never had one task on each digest: " + string.Join(", ", running));
                        await Task.Delay(250);
                    }
                    // The spec then names the bare tag, through an update whose new task can never be placed: both tasks go on.
                    DockerCli.Run(Env.SwarmHost, "service", "update", "--detach", "--quiet", "--no-resolve-image", "--image", tagged.ToString(),
                        "--update-order", "start-first", "--constraint-add", "node.labels.dt-nowhere==1", name);

                    ServiceDrift drift = (await new ServiceDriftCheck(swarm, lookups).CheckAsync(new[] { name }, None)).Single().Drift;
                    // The tag names one of the two digests; the other task runs other bytes, so the service has drifted.
                    Assert.Equal((ContainerDriftStatus.TagMoved, (string)null, Env.OciDigest, 2), (drift.Status, drift.SpecDigest, drift.CurrentDigest, drift.RunningTasks));
                    Assert.Equal(new[] { Env.OciDigest, altDigest }.OrderBy(d => d, StringComparer.Ordinal), drift.TaskDigests.OrderBy(d => d, StringComparer.Ordinal));
                }
            }
            finally
            {
                try { DockerCli.Run(Env.SwarmHost, "service", "rm", name); } catch (InvalidOperationException) { }
            }
        }
    }
}
