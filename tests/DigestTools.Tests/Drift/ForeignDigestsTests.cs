using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Drift;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using DigestTools.Tests.Pinning;
using DigestTools.TestServers;
using Xunit;

namespace DigestTools.Tests.Drift
{
    /// <summary>
    /// One image pushed as an OCI manifest to one repository and as a Docker manifest to another (two digests) and
    /// pulled from both: Podman lists every name of the image with every digest, also the one a repository never had;
    /// Docker lists each repository's own. Drift and replicas like a container started from a tag take, of several
    /// digests, the first the registry has, and ask nothing when there is one. The many-names fixture has a config of
    /// its own, so these names never reach the images other tests pull.
    /// </summary>
    public sealed class ForeignDigestsTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;

        private sealed class TwoRepositories
        {
            internal string OciPath, DockerPath, OciDigest, DockerDigest;
        }

        // Pushed straight to the registry; the engine pulls them through pullRegistry (the registry or a proxy in front of it).
        private static async Task<TwoRepositories> PushAndPullAsync(string host, string pullRegistry)
        {
            var pushed = new TwoRepositories { OciPath = "foreign-digests/" + LiveTools.UniqueName("oci"), DockerPath = "foreign-digests/" + LiveTools.UniqueName("docker") };
            pushed.OciDigest = await RegistryCopy.PushLayoutTagAsync("many-names", "oci", ParsedReference.Parse(Env.Registry + "/" + pushed.OciPath + ":v1"));
            pushed.DockerDigest = await RegistryCopy.PushLayoutTagAsync("many-names", "v2s2", ParsedReference.Parse(Env.Registry + "/" + pushed.DockerPath + ":v1"));
            Assert.NotEqual(pushed.OciDigest, pushed.DockerDigest);
            LiveTools.Docker(host, "pull", "--quiet", pullRegistry + "/" + pushed.OciPath + ":v1");
            LiveTools.Docker(host, "pull", "--quiet", pullRegistry + "/" + pushed.DockerPath + ":v1");
            return pushed;
        }

        private static async Task<ContainerDrift> DriftOfAsync(EngineClient client, string container, DriftRegistryLookups lookups)
            => Assert.Single(await new DriftCheck(client, lookups).CheckAsync(new[] { container }, false, CancellationToken.None)).Drift;

        [Fact]
        public async Task OnPodmanTheFirstDigestTheRepositoryHasRunsAndIsCopiedAndNoneOfThemIsPinMissingAndManifestUnknown()
        {
            TwoRepositories pushed = await PushAndPullAsync(Env.PodmanHost, Env.Registry);
            string oci = Env.Registry + "/" + pushed.OciPath, docker = Env.Registry + "/" + pushed.DockerPath;
            string name = LiveTools.UniqueName("foreign");
            try
            {
                using (EngineClient client = LiveTools.Connect(Env.PodmanHost))
                {
                    EngineImage image = await client.InspectImageAsync(oci + ":v1", CancellationToken.None);
                    Assert.Equal(
                        new[] { oci + "@" + pushed.OciDigest, oci + "@" + pushed.DockerDigest, docker + "@" + pushed.OciDigest, docker + "@" + pushed.DockerDigest }.OrderBy(d => d, StringComparer.Ordinal),
                        image.RepoDigests.Where(d => d.StartsWith(oci + "@", StringComparison.Ordinal) || d.StartsWith(docker + "@", StringComparison.Ordinal)).OrderBy(d => d, StringComparer.Ordinal));

                    // Follow the repository whose own digest Podman does not list first: its first is one it never had.
                    string[] ociCandidates = ImagePuller.DigestsFor(image, oci);
                    (string repository, string path, string own, string foreign) = ociCandidates[0] != pushed.OciDigest
                        ? (oci, pushed.OciPath, pushed.OciDigest, pushed.DockerDigest)
                        : (docker, pushed.DockerPath, pushed.DockerDigest, pushed.OciDigest);
                    Assert.Equal(new[] { foreign, own }, ImagePuller.DigestsFor(image, repository));
                    LiveTools.Docker(Env.PodmanHost, "create", "--name", name, "--network", "none", repository + ":v1");
                    string moved = LiveTools.Push("alt", repository + ":v1");

                    var log = new RecordingLog();
                    using (var lookups = new DriftRegistryLookups(new RegistryClientOptions(), 16, log))
                    {
                        ContainerDrift drift = await DriftOfAsync(client, name, lookups);
                        Assert.Equal((ContainerDriftStatus.TagMoved, own, moved), (drift.Status, drift.RunningDigest, drift.CurrentDigest));
                        Assert.Equal(2, lookups.DigestLookups);   // the foreign digest (absent), then its own
                        Assert.Contains(log.VerboseLines, l => l.Contains(path + "@" + foreign + " still resolves"));
                    }

                    ContainerReplicaSource source = await ContainerReplicaSource.ReadAsync(client, name, new RegistryClientOptions(), CancellationToken.None);
                    Assert.Equal(repository + "@" + own, source.Pinned.ToString());

                    LiveTools.DeleteManifest(path, own);
                    using (var lookups = new DriftRegistryLookups(new RegistryClientOptions(), 16, new RecordingLog()))
                    {
                        ContainerDrift gone = await DriftOfAsync(client, name, lookups);
                        Assert.Equal((ContainerDriftStatus.PinMissing, foreign, moved), (gone.Status, gone.RunningDigest, gone.CurrentDigest));
                    }
                    var refused = await Assert.ThrowsAsync<FailureException>(() => ContainerReplicaSource.ReadAsync(client, name, new RegistryClientOptions(), CancellationToken.None));
                    Assert.Equal(ErrorCatalog.ManifestUnknown, refused.Kind);
                    Assert.Equal($"Container {name} runs image {image.Id}, which the engine lists under {repository} with the digests {foreign}, {own}; "
                        + "the registry has none of them, so replicas cannot be pinned there. Nothing was created.", refused.Message);
                }
            }
            finally
            {
                LiveTools.CleanUp(Env.PodmanHost, new[] { name }, oci + ":v1", docker + ":v1");
            }
        }

        [Fact]
        public async Task OnDockerEachRepositoryHasOneDigestAndNoPresenceIsAskedForIt()
        {
            await using (FaultServer registry = FaultServer.Started(Env.Registry))
            {
                TwoRepositories pushed = await PushAndPullAsync(Env.DockerHost, registry.Address);
                string docker = registry.Address + "/" + pushed.DockerPath;
                string name = LiveTools.UniqueName("foreign");
                LiveTools.Docker(Env.DockerHost, "create", "--name", name, "--network", "none", docker + ":v1");
                try
                {
                    using (EngineClient client = LiveTools.Connect(Env.DockerHost))
                    {
                        Assert.Equal(new[] { pushed.DockerDigest }, ImagePuller.DigestsFor(await client.InspectImageAsync(docker + ":v1", CancellationToken.None), docker));
                        registry.Log.Clear();
                        ContainerReplicaSource source = await ContainerReplicaSource.ReadAsync(client, name, new RegistryClientOptions(), CancellationToken.None);
                        Assert.Equal(docker + "@" + pushed.DockerDigest, source.Pinned.ToString());
                        Assert.Empty(registry.Requests);

                        string moved = LiveTools.Push("alt", Env.Registry + "/" + pushed.DockerPath + ":v1");
                        registry.Log.Clear();
                        using (var lookups = new DriftRegistryLookups(new RegistryClientOptions(), 16, new RecordingLog()))
                        {
                            ContainerDrift drift = await DriftOfAsync(client, name, lookups);
                            Assert.Equal((ContainerDriftStatus.TagMoved, pushed.DockerDigest, moved), (drift.Status, drift.RunningDigest, drift.CurrentDigest));
                            Assert.Equal(1, lookups.DigestLookups);
                        }
                        // Manifests asked by digest: only the one the container runs (the tag's own resolution names the tag).
                        Assert.Equal(new[] { "/v2/" + pushed.DockerPath + "/manifests/" + pushed.DockerDigest },
                            registry.Requests.Select(r => r.Path).Where(p => p.Contains("/manifests/sha256:")).Distinct());
                    }
                }
                finally
                {
                    LiveTools.CleanUp(Env.DockerHost, new[] { name }, registry.Address + "/" + pushed.OciPath + ":v1", docker + ":v1");
                }
            }
        }

        [Fact]
        public async Task OfSeveralDigestsOnDockerTheFirstIsCopiedAndARegistryThatRefusesFailsTheCopyWithItsError()
        {
            // One repository, the tag moved from the OCI form to the Docker form of one image, pulled both times:
            // dockerd too then lists two digests for the repository, and the registry has both.
            await using (FaultServer registry = FaultServer.Started(Env.Registry))
            {
                string path = "foreign-digests/" + LiveTools.UniqueName("two-forms");
                var direct = ParsedReference.Parse(Env.Registry + "/" + path + ":v1");
                string repository = registry.Address + "/" + path;
                await RegistryCopy.PushLayoutTagAsync("many-names", "oci", direct);
                LiveTools.Docker(Env.DockerHost, "pull", "--quiet", repository + ":v1");
                await RegistryCopy.PushLayoutTagAsync("many-names", "v2s2", direct);
                LiveTools.Docker(Env.DockerHost, "pull", "--quiet", repository + ":v1");
                string name = LiveTools.UniqueName("two-forms");
                LiveTools.Docker(Env.DockerHost, "create", "--name", name, "--network", "none", repository + ":v1");
                try
                {
                    using (EngineClient client = LiveTools.Connect(Env.DockerHost))
                    {
                        string[] digests = ImagePuller.DigestsFor(await client.InspectImageAsync(repository + ":v1", CancellationToken.None), repository);
                        Assert.Equal(2, digests.Length);

                        registry.Rules.Add(new FaultRule { Path = "/manifests/", Action = "status", Status = 403,
                            Body = "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"dt: refused\"}]}" });
                        var refused = await Assert.ThrowsAsync<FailureException>(() => ContainerReplicaSource.ReadAsync(client, name, new RegistryClientOptions(), CancellationToken.None));
                        Assert.Equal(ErrorCatalog.Denied, refused.Kind);

                        registry.Rules.Clear();
                        ContainerReplicaSource source = await ContainerReplicaSource.ReadAsync(client, name, new RegistryClientOptions(), CancellationToken.None);
                        Assert.Equal(repository + "@" + digests[0], source.Pinned.ToString());
                    }
                }
                finally
                {
                    LiveTools.CleanUp(Env.DockerHost, new[] { name }, repository + ":v1");
                }
            }
        }
    }
}
