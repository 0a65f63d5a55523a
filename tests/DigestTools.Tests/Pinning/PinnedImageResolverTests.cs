using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.References;
using DigestTools.Tests.Swarm;
using Xunit;

namespace DigestTools.Tests.Pinning
{
    /// <summary>
    /// How New-PinnedContainer turns a reference into repository@digest under each -PullPolicy, against the
    /// suite's real registry, dockerd and Podman: when it pulls (what the user sees as pull progress), which
    /// digest it pins when the engine knows several, and what it refuses. Each test works in a repository of its own.
    /// </summary>
    public sealed class PinnedImageResolverTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;

        private static Task<EngineClient> ConnectAsync(string engine) => Env.ConnectAsync(engine);

        // A repository of this test's own holding a copy of the Oci fixture under the tag given.
        private static Task<ParsedReference> ScratchCopyAsync(string engine, string tag)
            => RegistryCopy.ScratchCopyAsync(Env.OciReference, "resolver-" + engine.ToLowerInvariant(), tag);

        private static async Task<(ParsedReference Pinned, RecordingLog Log)> ResolveAsync(EngineClient client, ParsedReference reference, ImagePullPolicy policy)
        {
            var log = new RecordingLog();
            ParsedReference pinned = await new PinnedImageResolver(client, log).ResolveAsync(reference, policy, null, null, CancellationToken.None);
            return (pinned, log);
        }

        [Fact]
        public void DigestsForKeepsOnlyThisRepositorysDigestsOnceInTheEnginesOrder()
        {
            const string A = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
            const string B = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
            var image = new EngineImage
            {
                RepoDigests = new[] { "registry.test/other@" + A, "registry.test/app@" + B, "not a reference", "registry.test/app@" + A, "registry.test/app@" + B },
            };

            Assert.Equal(new[] { B, A }, ImagePuller.DigestsFor(image, "registry.test/app"));
            Assert.Empty(ImagePuller.DigestsFor(image, "registry.test/absent"));
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task ADigestIsPulledOnceThenTakenFromTheEngineUnlessPolicyAlways(string engine)
        {
            ParsedReference scratch = await ScratchCopyAsync(engine, "v1");
            var byDigest = ParsedReference.Parse(scratch + "@" + Env.OciDigest);   // name:v1@digest pins the digest, as docker does
            string pinned = scratch.Name + "@" + Env.OciDigest;
            using (EngineClient client = await ConnectAsync(engine))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => ResolveAsync(client, byDigest, ImagePullPolicy.Never));
                Assert.Same(ErrorCatalog.ImageNotPresent, e.Kind);
                Assert.Contains(pinned, e.Message);

                var missing = await ResolveAsync(client, byDigest, ImagePullPolicy.Missing);
                Assert.Equal(pinned, missing.Pinned.ToString());
                Assert.Equal(new[] { pinned }, missing.Log.PullsBegun.ToArray());   // one pull, by digest, on Podman too

                // Present: Docker uses it; Podman pulls the digest again (cheap) so its containers are named by it.
                var present = await ResolveAsync(client, byDigest, ImagePullPolicy.Missing);
                Assert.Equal(pinned, present.Pinned.ToString());
                Assert.Equal(engine == "Podman" ? new[] { pinned } : new string[0], present.Log.PullsBegun.ToArray());

                var never = await ResolveAsync(client, byDigest, ImagePullPolicy.Never);
                Assert.Equal(pinned, never.Pinned.ToString());
                Assert.Empty(never.Log.PullsBegun);

                var always = await ResolveAsync(client, byDigest, ImagePullPolicy.Always);
                Assert.Equal(pinned, always.Pinned.ToString());
                Assert.Equal(new[] { pinned }, always.Log.PullsBegun.ToArray());
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task ATagIsPulledWhenMissingAndPinnedFromTheEngineAfterwards(string engine)
        {
            ParsedReference tagged = await ScratchCopyAsync(engine, "v1");
            string pinned = tagged.Name + "@" + Env.OciDigest;
            using (EngineClient client = await ConnectAsync(engine))
            {
                var missing = await ResolveAsync(client, tagged, ImagePullPolicy.Missing);
                Assert.Equal(pinned, missing.Pinned.ToString());
                // Podman names a container's image by the name it found it under: it pulls the digest too.
                string[] expectedPulls = engine == "Podman" ? new[] { tagged.ToString(), pinned } : new[] { tagged.ToString() };
                Assert.Equal(expectedPulls, missing.Log.PullsBegun.ToArray());

                var never = await ResolveAsync(client, tagged, ImagePullPolicy.Never);
                Assert.Equal(pinned, never.Pinned.ToString());
                Assert.Empty(never.Log.PullsBegun);    // -PullPolicy Never never pulls, on Podman either

                var present = await ResolveAsync(client, tagged, ImagePullPolicy.Missing);
                Assert.Equal(pinned, present.Pinned.ToString());
                Assert.Equal(engine == "Podman" ? new[] { pinned } : new string[0], present.Log.PullsBegun.ToArray());

                var always = await ResolveAsync(client, tagged, ImagePullPolicy.Always);
                Assert.Equal(pinned, always.Pinned.ToString());
                Assert.Equal(expectedPulls, always.Log.PullsBegun.ToArray());
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task AReferenceWithoutTagMeansLatest(string engine)
        {
            ParsedReference latest = await ScratchCopyAsync(engine, "latest");
            var untagged = ParsedReference.Parse(latest.Name);
            using (EngineClient client = await ConnectAsync(engine))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => ResolveAsync(client, untagged, ImagePullPolicy.Never));
                Assert.Same(ErrorCatalog.ImageNotPresent, e.Kind);
                Assert.Contains(latest.Name + ":latest", e.Message);

                var missing = await ResolveAsync(client, untagged, ImagePullPolicy.Missing);
                Assert.Equal(latest.Name + "@" + Env.OciDigest, missing.Pinned.ToString());
                Assert.Equal(latest.Name + ":latest", missing.Log.PullsBegun.First());
            }
        }

        // Docker only: Podman reports name@digest for every name an image is tagged with, pushed or not, so a
        // locally tagged image looks pinnable there (its pull by that digest then fails with ManifestUnknown).
        [Fact]
        public async Task ALocalImageWithNoRegistryDigestCannotBePinned()
        {
            const string engine = "Docker";
            ParsedReference tagged = await ScratchCopyAsync(engine, "v1");
            var localOnly = ParsedReference.Parse($"{Env.Registry}/local-only-{Guid.NewGuid():n}/app:1");   // tagged here, never pushed
            using (EngineClient client = await ConnectAsync(engine))
            {
                await ResolveAsync(client, tagged, ImagePullPolicy.Missing);
                DockerCli.Run(Env.EngineHost(engine), "tag", tagged.ToString(), localOnly.ToString());

                foreach (ImagePullPolicy policy in new[] { ImagePullPolicy.Missing, ImagePullPolicy.Never })
                {
                    var e = await Assert.ThrowsAsync<FailureException>(() => ResolveAsync(client, localOnly, policy));
                    Assert.Same(ErrorCatalog.NoRegistryDigest, e.Kind);
                    Assert.Contains(localOnly.ToString(), e.Message);
                }
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task OfSeveralDigestsOfOneImageTheOneTheRegistryNamesIsPinned(string engine)
        {
            // One image under two manifests of one repository: the OCI form as v1, the Docker form (same config) as v2.
            ParsedReference v1 = await ScratchCopyAsync(engine, "v1");
            var v2 = ParsedReference.Parse(v1.Name + ":v2");
            await RegistryCopy.CopyAsync(ParsedReference.Parse(Env.DockerReference), v2);
            using (EngineClient client = await ConnectAsync(engine))
            {
                Assert.Equal(v1.Name + "@" + Env.OciDigest, (await ResolveAsync(client, v1, ImagePullPolicy.Missing)).Pinned.ToString());
                Assert.Equal(v1.Name + "@" + Env.DockerDigest, (await ResolveAsync(client, v2, ImagePullPolicy.Missing)).Pinned.ToString());
                string[] digests = ImagePuller.DigestsFor(await client.InspectImageAsync(v1.ToString(), CancellationToken.None), v1.Name);
                Assert.Equal(new[] { Env.DockerDigest, Env.OciDigest }.OrderBy(d => d), digests.OrderBy(d => d));

                // Present locally: each tag pins the digest the registry names for it, whichever the engine lists first.
                Assert.Equal(v1.Name + "@" + Env.OciDigest, (await ResolveAsync(client, v1, ImagePullPolicy.Never)).Pinned.ToString());
                Assert.Equal(v1.Name + "@" + Env.DockerDigest, (await ResolveAsync(client, v2, ImagePullPolicy.Never)).Pinned.ToString());

                // A tag the registry does not know (re-tagged locally): the first digest the engine lists, said in -Verbose.
                var retagged = ParsedReference.Parse(v1.Name + ":local");
                DockerCli.Run(Env.EngineHost(engine), "tag", v1.ToString(), retagged.ToString());
                var local = await ResolveAsync(client, retagged, ImagePullPolicy.Never);
                Assert.Equal(v1.Name + "@" + digests[0], local.Pinned.ToString());
                Assert.Contains(local.Log.VerboseLines, line => line.StartsWith("The registry could not say which digest " + retagged, StringComparison.Ordinal));
                Assert.Contains(local.Log.VerboseLines, line => line.Contains("pinning to " + digests[0] + ", the first the engine lists"));
                Assert.Empty(local.Log.PullsBegun);

                // The tag moved at the registry to bytes the engine does not have: still the local image's first digest.
                await RegistryCopy.CopyAsync(ParsedReference.Parse(Env.OciAltReference), v1);
                Assert.Equal(v1.Name + "@" + digests[0], (await ResolveAsync(client, v1, ImagePullPolicy.Never)).Pinned.ToString());
            }
        }
    }
}
