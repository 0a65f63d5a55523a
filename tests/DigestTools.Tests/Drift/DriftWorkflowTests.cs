using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Drift;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.Registry;
using DigestTools.Tests.Pinning;
using Xunit;

namespace DigestTools.Tests.Drift
{
    /// <summary>The drift workflow and replicas-like-a-container without PowerShell, against the real registry, dockerd and Podman.</summary>
    public sealed class DriftWorkflowTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;

        private static async Task<IReadOnlyList<DriftResult>> CheckAsync(EngineClient client, DriftRegistryLookups lookups, params string[] containers)
            => await new DriftCheck(client, lookups).CheckAsync(containers, false, CancellationToken.None);

        private static DriftRegistryLookups Lookups(RecordingLog log) => new DriftRegistryLookups(new RegistryClientOptions(), 16, log);

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task AContainerStartedFromATagIsCurrentThenTagMovedThenPinMissingWhileReplicasKeepItsBytes(string engine)
        {
            string host = Env.EngineHost(engine);
            string path = "drift-workflow/" + LiveTools.UniqueName(engine.ToLowerInvariant());
            string repository = Env.Registry + "/" + path;
            string first = LiveTools.Push("hello", repository + ":v1");
            string name = LiveTools.UniqueName("original");
            LiveTools.Docker(host, "run", "--detach", "--name", name, "--network", "none", "--env", "ROLE=primary", repository + ":v1", "sleep", "600");
            try
            {
                using (EngineClient client = LiveTools.Connect(host))
                {
                    using (var lookups = Lookups(new RecordingLog()))
                    {
                        ContainerDrift current = Assert.Single(await CheckAsync(client, lookups, name)).Drift;
                        Assert.Equal((ContainerDriftStatus.Current, first, first, "v1", false), (current.Status, current.RunningDigest, current.CurrentDigest, current.Tag, current.Pinned));
                        Assert.Equal(repository, current.Repository);
                        Assert.Equal(host, current.Engine);
                    }

                    string moved = LiveTools.Push("alt", repository + ":v1");
                    using (var lookups = Lookups(new RecordingLog()))
                    {
                        ContainerDrift drift = Assert.Single(await CheckAsync(client, lookups, name)).Drift;
                        Assert.Equal((ContainerDriftStatus.TagMoved, first, moved), (drift.Status, drift.RunningDigest, drift.CurrentDigest));
                    }

                    ContainerReplicaSource source = await ContainerReplicaSource.ReadAsync(client, name, new RegistryClientOptions(), CancellationToken.None);
                    Assert.Equal(repository + "@" + first, source.Pinned.ToString());
                    Assert.Equal(repository + ":v1", source.SourceReference.ToString());
                    Assert.Contains("ROLE=primary", source.Configuration.Environment);

                    LiveTools.DeleteManifest(path, first);
                    using (var lookups = Lookups(new RecordingLog()))
                    {
                        ContainerDrift gone = Assert.Single(await CheckAsync(client, lookups, name)).Drift;
                        Assert.Equal((ContainerDriftStatus.PinMissing, first, moved), (gone.Status, gone.RunningDigest, gone.CurrentDigest));
                    }
                }
            }
            finally
            {
                LiveTools.CleanUp(host, new[] { name }, repository + ":v1");
            }
        }

        [Fact]
        public async Task EachDistinctTagIsResolvedOnceAndCurrentContainersNeedNoDigestCheck()
        {
            string host = Env.DockerHost;
            string a = Env.Registry + "/drift-workflow/" + LiveTools.UniqueName("shared-a");
            string b = Env.Registry + "/drift-workflow/" + LiveTools.UniqueName("shared-b");
            LiveTools.Push("hello", a + ":v1");
            LiveTools.Push("alt", b + ":v1");
            var names = Enumerable.Range(1, 4).Select(i => LiveTools.UniqueName("shared" + i)).ToArray();
            for (int i = 0; i < names.Length; i++)
                LiveTools.Docker(host, "create", "--name", names[i], "--network", "none", (i < 3 ? a : b) + ":v1");
            try
            {
                var log = new RecordingLog();
                using (EngineClient client = LiveTools.Connect(host))
                using (var lookups = Lookups(log))
                {
                    IReadOnlyList<DriftResult> results = await CheckAsync(client, lookups, names);
                    Assert.Equal(names, results.Select(r => r.Drift.Name));   // input order
                    Assert.All(results, r => Assert.Equal(ContainerDriftStatus.Current, r.Drift.Status));
                    Assert.Equal(2, lookups.TagLookups);
                    Assert.Equal(0, lookups.DigestLookups);
                    Assert.Equal(2, log.VerboseLines.Count(l => l.Contains("names now")));
                }
            }
            finally
            {
                LiveTools.CleanUp(host, names, a + ":v1", b + ":v1");
            }
        }

        [Fact]
        public async Task WithNoContainerNamedEveryRunningContainerIsChecked()
        {
            string host = Env.DockerHost;
            string repository = Env.Registry + "/drift-workflow/" + LiveTools.UniqueName("listed");
            string digest = LiveTools.Push("hello", repository + ":v1");
            string running = LiveTools.UniqueName("running");
            string created = LiveTools.UniqueName("created");
            LiveTools.Docker(host, "run", "--detach", "--name", running, "--network", "none", repository + ":v1", "sleep", "600");
            LiveTools.Docker(host, "create", "--name", created, "--network", "none", repository + ":v1");
            try
            {
                using (EngineClient client = LiveTools.Connect(host))
                using (var lookups = Lookups(new RecordingLog()))
                {
                    IReadOnlyList<DriftResult> results = await CheckAsync(client, lookups);
                    ContainerDrift drift = Assert.Single(results, r => r.Drift?.Name == running).Drift;
                    Assert.Equal((ContainerDriftStatus.Current, digest), (drift.Status, drift.RunningDigest));
                    Assert.DoesNotContain(results, r => r.Drift?.Name == created);
                }
            }
            finally
            {
                LiveTools.CleanUp(host, new[] { running, created }, repository + ":v1");
            }
        }

        [Fact]
        public async Task AMissingContainerIsAFailureOfItsOwnAndALocallyCommittedImageIsLocalOnly()
        {
            // Docker only: Podman gives committed images a digest of their own local manifest.
            string host = Env.DockerHost;
            string repository = Env.Registry + "/drift-workflow/" + LiveTools.UniqueName("local");
            LiveTools.Push("hello", repository + ":v1");
            string source = LiveTools.UniqueName("source");
            string local = LiveTools.UniqueName("local");
            LiveTools.Docker(host, "create", "--name", source, "--network", "none", repository + ":v1");
            LiveTools.Docker(host, "commit", source, repository + "-committed:dev");
            LiveTools.Docker(host, "create", "--name", local, "--network", "none", repository + "-committed:dev");
            try
            {
                using (EngineClient client = LiveTools.Connect(host))
                using (var lookups = Lookups(new RecordingLog()))
                {
                    IReadOnlyList<DriftResult> results = await CheckAsync(client, lookups, "absent-" + local, local);
                    var failure = Assert.IsType<FailureException>(results[0].Failure);
                    Assert.Equal((ErrorCatalog.ContainerNotFound, $"The engine has no container 'absent-{local}'."), (failure.Kind, failure.Message));
                    Assert.Equal((ContainerDriftStatus.LocalOnly, null), (results[1].Drift.Status, results[1].Drift.RunningDigest));
                    Assert.Equal(0, lookups.TagLookups + lookups.DigestLookups);

                    var refused = await Assert.ThrowsAsync<FailureException>(() => ContainerReplicaSource.ReadAsync(client, local, new RegistryClientOptions(), CancellationToken.None));
                    string imageId = LiveTools.Docker(host, "inspect", "--format", "{{.Image}}", local);
                    Assert.Equal((ErrorCatalog.NoRegistryDigest, $"Container {local} runs image {imageId} ('{repository}-committed:dev'), which has no registry digest "
                        + "(built or committed locally, never pulled or pushed), so replicas cannot be pinned to it. Push the image to a registry and create the replicas from its digest."),
                        (refused.Kind, refused.Message));
                    var absent = await Assert.ThrowsAsync<FailureException>(() => ContainerReplicaSource.ReadAsync(client, "absent-" + local, new RegistryClientOptions(), CancellationToken.None));
                    Assert.Equal((ErrorCatalog.ContainerNotFound, $"The engine has no container 'absent-{local}' to copy."), (absent.Kind, absent.Message));
                }
            }
            finally
            {
                LiveTools.CleanUp(host, new[] { source, local }, repository + "-committed:dev", repository + ":v1");
            }
        }
    }
}
