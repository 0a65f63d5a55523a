using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Tests.Pinning;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// EngineClient's read-only questions and its pull against the suite's real dockerd and Podman: what each
    /// answer holds (lists, a container's configuration, the pull's outcome) and what a bad pull is called.
    /// </summary>
    public sealed class EngineClientQueryTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;

        private static Task<EngineClient> ConnectAsync(string engine, double timeoutSeconds = 30) => EngineClientTests.ConnectAsync(engine, timeoutSeconds);

        private static ContainerSpec Spec(string image, params string[] command) => EngineClientTests.Spec(image, command);

        private static string OciRepository => Env.OciReference.Substring(0, Env.OciReference.LastIndexOf(':'));

        [Fact]
        public async Task ListsTheEnginesNetworkNamesSortedWithoutBlanks()
        {
            using (EngineClient client = await ConnectAsync("Docker"))
            {
                IReadOnlyList<string> names = await client.ListNetworkNamesAsync(CancellationToken.None);
                // The suite's dockerd runs with --bridge=none: host and none are its built-in networks.
                Assert.Superset(new HashSet<string> { "host", "none" }, new HashSet<string>(names));
                Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal), names);
                Assert.DoesNotContain(names, string.IsNullOrEmpty);
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task ListsAContainerThatNeverRanOnlyWhenAskedForAll(string engine)
        {
            using (EngineClient client = await ConnectAsync(engine))
            {
                ContainerSpec spec = Spec(await EngineFixture.PulledOciAsync(client));
                string id = (await client.CreateContainerAsync(spec, CancellationToken.None)).Id;
                try
                {
                    Assert.DoesNotContain(await client.ListContainersAsync(false, CancellationToken.None), c => c.Id == id);
                    EngineContainer listed = Assert.Single(await client.ListContainersAsync(true, CancellationToken.None), c => c.Id == id);
                    EngineImage image = await client.InspectImageAsync(spec.Image, CancellationToken.None);
                    Assert.Equal(spec.Name, listed.Name);
                    Assert.Equal("created", listed.State);
                    Assert.Equal(image.Id, listed.ImageId);
                    Assert.Equal("engine-client", listed.Labels["dt-xunit"]);
                }
                finally
                {
                    await client.RemoveContainerAsync(id, true, CancellationToken.None);
                }
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task ReadsAContainersConfigurationAndAnswersNullForOneThatDoesNotExist(string engine)
        {
            using (EngineClient client = await ConnectAsync(engine))
            {
                Assert.Null(await client.InspectContainerConfigurationAsync("dt-missing-" + Guid.NewGuid().ToString("n"), CancellationToken.None));
                ContainerSpec spec = Spec(await EngineFixture.PulledOciAsync(client), "sh", "-c", "exit 0");
                string id = (await client.CreateContainerAsync(spec, CancellationToken.None)).Id;
                try
                {
                    ContainerConfiguration read = await client.InspectContainerConfigurationAsync(spec.Name, CancellationToken.None);
                    Assert.Equal(id, read.Id);
                    Assert.Equal(spec.Name, read.Name);
                    Assert.Equal(new[] { "sh", "-c", "exit 0" }, read.Command);
                }
                finally
                {
                    await client.RemoveContainerAsync(id, true, CancellationToken.None);
                }
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task APullByDigestReportsTheDigestDockerStreamsAndTheImageIsThere(string engine)
        {
            using (EngineClient client = await ConnectAsync(engine))
            {
                var progress = new List<ImagePullProgress>();
                ImagePullOutcome outcome = await client.PullAsync(new ImagePullRequest { Repository = OciRepository, TagOrDigest = Env.OciDigest }, progress.Add, CancellationToken.None);
                // Docker ends its stream with "Digest: sha256:..."; Podman writes no such line.
                Assert.Equal(engine == "Docker" ? Env.OciDigest : null, outcome.StreamDigest);
                Assert.NotEmpty(progress);
                EngineImage image = await client.InspectImageAsync(OciRepository + "@" + Env.OciDigest, CancellationToken.None);
                Assert.Contains(OciRepository + "@" + Env.OciDigest, image.RepoDigests);
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task APullOfATagOrDigestTheRegistryLacksIsManifestUnknownAndNamesWhatWasAsked(string engine)
        {
            using (EngineClient client = await ConnectAsync(engine))
            {
                string absentDigest = "sha256:" + new string('b', 64);
                FailureException byTag = await Assert.ThrowsAsync<FailureException>(() =>
                    client.PullAsync(new ImagePullRequest { Repository = OciRepository, TagOrDigest = "dt-absent" }, null, CancellationToken.None));
                Assert.Equal(ErrorCatalog.ManifestUnknown, byTag.Kind);
                Assert.StartsWith($"The engine could not find {OciRepository}:dt-absent in its registry: ", byTag.Message);
                FailureException byDigest = await Assert.ThrowsAsync<FailureException>(() =>
                    client.PullAsync(new ImagePullRequest { Repository = OciRepository, TagOrDigest = absentDigest }, null, CancellationToken.None));
                Assert.Equal(ErrorCatalog.ManifestUnknown, byDigest.Kind);
                Assert.StartsWith($"The engine could not find {OciRepository}@{absentDigest} in its registry: ", byDigest.Message);
            }
        }

        [Fact]
        public async Task APullWithoutATagOrDigestIsRefusedBeforeItReachesTheEngine()
        {
            using (EngineClient client = await ConnectAsync("Docker"))
            {
                ArgumentException e = await Assert.ThrowsAsync<ArgumentException>(() =>
                    client.PullAsync(new ImagePullRequest { Repository = OciRepository, TagOrDigest = "" }, null, CancellationToken.None));
                Assert.Equal("request", e.ParamName);
                Assert.StartsWith("A pull needs a tag or digest: without one the engine would pull every tag.", e.Message);
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task AWaitOutlivesTheTimeoutWhileTheContainerKeepsRunning(string engine)
        {
            // The wait's own request is silent while the container runs; each look that finds it running restarts the bound.
            // 3 s, not 2: under a loaded full suite one look at Podman took longer than the 1.3 s a 2 s bound leaves it.
            using (EngineClient client = await ConnectAsync(engine, 3))
            {
                ContainerSpec spec = Spec(await EngineFixture.PulledOciAsync(client), "sh", "-c", "sleep 8; exit 4");
                string id = (await client.CreateContainerAsync(spec, CancellationToken.None)).Id;
                try
                {
                    await client.StartContainerAsync(id, CancellationToken.None);
                    Assert.Equal(4, await client.WaitContainerAsync(id, CancellationToken.None));
                }
                finally
                {
                    await client.RemoveContainerAsync(id, true, CancellationToken.None);
                }
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task RemovesEveryContainerACreationIdNamesRunningOrNotAndOnlyThose(string engine)
        {
            using (EngineClient client = await ConnectAsync(engine))
            {
                string image = await EngineFixture.PulledOciAsync(client);
                CreatedContainer first = await client.CreateContainerAsync(Spec(image, "sleep", "60"), CancellationToken.None);
                CreatedContainer second = await client.CreateContainerAsync(Spec(image), CancellationToken.None);
                try
                {
                    // Running: only a forced removal takes it.
                    await client.StartContainerAsync(first.Id, CancellationToken.None);
                    Assert.Equal(new[] { first.Id }, await client.RemoveCreatedAsync(first.CreationId, CancellationToken.None));
                    Assert.Null(await client.InspectContainerAsync(first.Id, CancellationToken.None));
                    Assert.NotNull(await client.InspectContainerAsync(second.Id, CancellationToken.None));
                    Assert.Empty(await client.RemoveCreatedAsync(Guid.NewGuid().ToString("n"), CancellationToken.None));
                }
                finally
                {
                    await client.RemoveContainerAsync(second.Id, true, CancellationToken.None);
                }
            }
        }
    }
}
