using System;
using System.Collections.Generic;
using System.Diagnostics;
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
    /// EngineClient against the suite's real dockerd and Podman: each call's answer, its "not found" answer, and
    /// the container lifecycle the cmdlets rely on (create with the creation id, start, wait, logs, remove).
    /// </summary>
    public sealed class EngineClientTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;

        internal static Task<EngineClient> ConnectAsync(string engine, double timeoutSeconds = 30)
            => EngineClient.ConnectAsync(new EngineEndpointResolver().Resolve(Env.EngineHost(engine)), TimeSpan.FromSeconds(timeoutSeconds), CancellationToken.None);

        internal static ContainerSpec Spec(string image, params string[] command) => new ContainerSpec
        {
            Image = image,
            Name = "dt-client-" + Guid.NewGuid().ToString("n").Substring(0, 12),
            Command = command.Length == 0 ? null : command,
            Network = "none",
            Labels = new Dictionary<string, string> { ["dt-xunit"] = "engine-client" },
        };

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task ConnectsAtTheNegotiatedVersionWithTheTimeoutItWasGiven(string engine)
        {
            using (EngineClient client = await ConnectAsync(engine, 7))
            {
                Assert.Equal(new Version(1, 41), client.ApiVersion);
                Assert.Equal(TimeSpan.FromSeconds(7), client.Timeout);
                Assert.Equal(engine == "Podman", client.IsPodman);
                Assert.StartsWith(engine == "Podman" ? "Podman Engine " : "Docker Engine ", client.Product);
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task RunsAContainerThroughItsWholeLifeAndTagsItWithACreationId(string engine)
        {
            using (EngineClient client = await ConnectAsync(engine))
            {
                ContainerSpec spec = Spec(await EngineFixture.PulledOciAsync(client), "sh", "-c", "echo out; echo err >&2; exit 3");
                string id = (await client.CreateContainerAsync(spec, CancellationToken.None)).Id;
                try
                {
                    EngineContainer created = await client.InspectContainerAsync(id, CancellationToken.None);
                    Assert.Equal(id, created.Id);
                    Assert.Equal(spec.Name, created.Name);
                    Assert.Equal(spec.Image, created.ConfiguredImage);
                    Assert.Equal("created", created.State);
                    Assert.Matches("^[0-9a-f]{32}$", created.Labels[EngineClient.CreationIdLabel]);
                    Assert.Equal("engine-client", created.Labels["dt-xunit"]);

                    await client.StartContainerAsync(id, CancellationToken.None);
                    Assert.Equal(3, await client.WaitContainerAsync(id, CancellationToken.None));
                    string logs = await client.GetLogsAsync(id, CancellationToken.None);
                    Assert.Equal(new[] { "err", "out" }, logs.Split('\n', StringSplitOptions.RemoveEmptyEntries).OrderBy(l => l).ToArray());
                    EngineContainer exited = await client.InspectContainerAsync(id, CancellationToken.None);
                    Assert.Equal("exited", exited.State);
                    Assert.Equal(3, exited.ExitCode);
                }
                finally
                {
                    await client.RemoveContainerAsync(id, true, CancellationToken.None);
                }
                Assert.Null(await client.InspectContainerAsync(id, CancellationToken.None));
                await client.RemoveContainerAsync(id, true, CancellationToken.None);   // already gone: not an error
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task AnswersNotFoundWithNullForLookupsAndContainerNotFoundForActions(string engine)
        {
            string missing = "dt-missing-" + Guid.NewGuid().ToString("n");
            using (EngineClient client = await ConnectAsync(engine))
            {
                Assert.Null(await client.InspectContainerAsync(missing, CancellationToken.None));
                Assert.Null(await client.InspectImageAsync(Env.Registry + "/" + missing + ":v1", CancellationToken.None));
                FailureException start = await Assert.ThrowsAsync<FailureException>(() => client.StartContainerAsync(missing, CancellationToken.None));
                Assert.Equal(ErrorCatalog.ContainerNotFound, start.Kind);
                Assert.StartsWith($"The engine could not start container {missing}: ", start.Message);
                FailureException wait = await Assert.ThrowsAsync<FailureException>(() => client.WaitContainerAsync(missing, CancellationToken.None));
                Assert.Equal(ErrorCatalog.ContainerNotFound, wait.Kind);
                FailureException logs = await Assert.ThrowsAsync<FailureException>(() => client.GetLogsAsync(missing, CancellationToken.None));
                Assert.Equal(ErrorCatalog.ContainerNotFound, logs.Kind);
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task RefusesATakenNameAndAMissingImageWithTheirOwnIds(string engine)
        {
            using (EngineClient client = await ConnectAsync(engine))
            {
                ContainerSpec spec = Spec(await EngineFixture.PulledOciAsync(client));
                string id = (await client.CreateContainerAsync(spec, CancellationToken.None)).Id;
                FailureException taken;
                try
                {
                    taken = await Assert.ThrowsAsync<FailureException>(() => client.CreateContainerAsync(spec, CancellationToken.None));
                    Assert.Equal(ErrorCatalog.ContainerNameInUse, taken.Kind);
                    Assert.StartsWith($"A container named '{spec.Name}' already exists: ", taken.Message);
                }
                finally
                {
                    await client.RemoveContainerAsync(id, true, CancellationToken.None);
                }
                // A digest no engine holds: Podman finds an image by its digest under any repository name.
                ContainerSpec absent = Spec(Env.Registry + "/dt-absent-" + Guid.NewGuid().ToString("n") + "@sha256:" + new string('a', 64));
                FailureException missing = await Assert.ThrowsAsync<FailureException>(() => client.CreateContainerAsync(absent, CancellationToken.None));
                Assert.Equal(ErrorCatalog.ImageNotFound, missing.Kind);
                Assert.StartsWith($"The engine has no image {absent.Image}: ", missing.Message);
                // The engine refused it: nothing can have been created, so there is nothing to look for or report.
                Assert.DoesNotContain(EngineClient.CreationIdLabel, missing.Message);
                Assert.DoesNotContain(EngineClient.CreationIdLabel, taken.Message);
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task AWaitEndsWithContainerNotFoundWhenSomeoneElseRemovesTheContainer(string engine)
        {
            using (EngineClient client = await ConnectAsync(engine))
            {
                string id = (await client.CreateContainerAsync(Spec(await EngineFixture.PulledOciAsync(client), "sleep", "60"), CancellationToken.None)).Id;
                await client.StartContainerAsync(id, CancellationToken.None);
                Task<long> waiting = client.WaitContainerAsync(id, CancellationToken.None);
                using (EngineClient other = await ConnectAsync(engine))
                    await other.RemoveContainerAsync(id, true, CancellationToken.None);
                FailureException gone = await Assert.ThrowsAsync<FailureException>(() => waiting);
                Assert.Equal(ErrorCatalog.ContainerNotFound, gone.Kind);
                Assert.Equal($"Container {id.Substring(0, 12)} was removed by someone else while the call waited for it to exit; it has no result to report.", gone.Message);
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task ListsImagesWithTheirRepoDigestsAndInspectsOneByDigest(string engine)
        {
            using (EngineClient client = await ConnectAsync(engine))
            {
                string pinned = await EngineFixture.PulledOciAsync(client);
                IReadOnlyList<EngineImage> images = await client.ListImagesAsync(CancellationToken.None);
                Assert.Contains(images, i => i.RepoDigests.Contains(pinned));
                EngineImage image = await client.InspectImageAsync(pinned, CancellationToken.None);
                Assert.Contains(pinned, image.RepoDigests);
                Assert.Equal("linux", image.Os);
                Assert.Equal("amd64", image.Architecture);
            }
        }
    }
}
