using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using Xunit;

namespace DigestTools.Tests.Pinning
{
    /// <summary>
    /// The pinning workflows without PowerShell, against the suite's real registry, dockerd and Podman.
    /// Each test works in a repository of its own, so the engines' other images do not matter.
    /// </summary>
    public sealed class PinningWorkflowTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;

        private static Task<EngineClient> ConnectAsync(string engine) => Env.ConnectAsync(engine);

        // A repository of this test's own, holding a copy of the Oci fixture under "v1".
        private static Task<ParsedReference> ScratchCopyAsync(string engine)
            => RegistryCopy.ScratchCopyAsync(Env.OciReference, "workflow-" + engine.ToLowerInvariant(), "v1");

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task ImagePullerPullsByTagAndProvesTheDigest(string engine)
        {
            ParsedReference tagged = await ScratchCopyAsync(engine);
            var log = new RecordingLog();
            using (EngineClient client = await ConnectAsync(engine))
            {
                PullResult pulled = await new ImagePuller(client, log).PullAsync(tagged, null, null, CancellationToken.None);

                Assert.Equal(Env.OciDigest, pulled.Digest);
                Assert.Equal(tagged.Name + "@" + Env.OciDigest, pulled.PinnedReference);
                Assert.Contains(tagged.Name + "@" + Env.OciDigest, pulled.RepoDigests);
                Assert.Equal(new[] { tagged.ToString() }, log.PullsBegun.ToArray());
                Assert.Equal(new[] { tagged.ToString() }, log.PullsEnded.ToArray());   // the progress display was closed
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task PinnedImageResolverNeverPullsWithPolicyNever(string engine)
        {
            var absent = ParsedReference.Parse($"{Env.Registry}/workflow-absent-{Guid.NewGuid():n}/app:1");
            using (EngineClient client = await ConnectAsync(engine))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() =>
                    new PinnedImageResolver(client, new RecordingLog()).ResolveAsync(absent, ImagePullPolicy.Never, null, null, CancellationToken.None));
                Assert.Same(ErrorCatalog.ImageNotPresent, e.Kind);
                Assert.Contains(absent.ToString(), e.Message);
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task PinnedImageResolverTurnsATagIntoRepositoryAtDigest(string engine)
        {
            ParsedReference tagged = await ScratchCopyAsync(engine);
            using (EngineClient client = await ConnectAsync(engine))
            {
                ParsedReference pinned = await new PinnedImageResolver(client, new RecordingLog())
                    .ResolveAsync(tagged, ImagePullPolicy.Missing, null, null, CancellationToken.None);
                Assert.Equal(tagged.Name + "@" + Env.OciDigest, pinned.ToString());
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task ReplicaCreatorRollsBackEveryContainerOfAFailedCall(string engine)
        {
            ParsedReference tagged = await ScratchCopyAsync(engine);
            string name = "wf-" + Guid.NewGuid().ToString("n").Substring(0, 12);
            using (EngineClient client = await ConnectAsync(engine))
            {
                ParsedReference pinned = await new PinnedImageResolver(client, new RecordingLog())
                    .ResolveAsync(tagged, ImagePullPolicy.Missing, null, null, CancellationToken.None);
                var creator = new ReplicaCreator(client);
                // Someone else's container already holds the second replica's name.
                Replica squatter = (await creator.CreateAsync(Request(tagged, pinned, name + "-2"), CancellationToken.None)).Single();
                try
                {
                    var e = await Assert.ThrowsAsync<FailureException>(() =>
                        creator.CreateAsync(Request(tagged, pinned, ReplicaNames.For(name, 2)), CancellationToken.None));

                    Assert.Same(ErrorCatalog.ContainerNameInUse, e.Kind);
                    Assert.Contains("Replica 2 of 2 failed", e.Message);
                    Assert.Contains("Rolled back (removed) 1 container(s)", e.Message);
                    Assert.Null(await client.InspectContainerAsync(name + "-1", CancellationToken.None));        // rolled back
                    Assert.NotNull(await client.InspectContainerAsync(squatter.Id, CancellationToken.None));     // never touched
                }
                finally
                {
                    await client.RemoveContainerAsync(squatter.Id, true, CancellationToken.None);
                }
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task ReplicaCreatorReportsTheEnginesNameOfARemovedUnnamedReplica(string engine)
        {
            ParsedReference tagged = await ScratchCopyAsync(engine);
            using (EngineClient client = await ConnectAsync(engine))
            {
                ParsedReference pinned = await new PinnedImageResolver(client, new RecordingLog())
                    .ResolveAsync(tagged, ImagePullPolicy.Missing, null, null, CancellationToken.None);
                ReplicaRequest request = Request(tagged, pinned, (string)null);
                request.Wait = true;
                request.Remove = true;

                Replica replica = (await new ReplicaCreator(client).CreateAsync(request, CancellationToken.None)).Single();

                Assert.Equal("removed", replica.State);
                Assert.Equal(0, replica.ExitCode);
                Assert.False(string.IsNullOrEmpty(replica.Name));
                Assert.Equal(pinned.ToString(), replica.Image);
            }
        }

        [Fact]
        public async Task DigestResolverSharesOneResolutionPerReferenceAndPlatform()
        {
            var reference = ParsedReference.Parse(Env.OciReference);
            using (var resolver = new DigestResolver(new RegistryClientOptions(), 4, new RecordingLog()))
            {
                Task<ManifestResolution> first = resolver.Resolve(reference, null, CancellationToken.None);
                Task<ManifestResolution> again = resolver.Resolve(ParsedReference.Parse(Env.OciReference), null, CancellationToken.None);
                Assert.Same(first, again);
                Assert.Equal(Env.OciDigest, (await first).Digest);
            }
        }

        private static ReplicaRequest Request(ParsedReference source, ParsedReference pinned, params string[] names) => new ReplicaRequest
        {
            Source = source,
            Pinned = pinned,
            Names = names,
            Template = new ContainerSpec { Network = "none", Labels = { ["dt-test"] = "workflow" } },
        };
    }
}
