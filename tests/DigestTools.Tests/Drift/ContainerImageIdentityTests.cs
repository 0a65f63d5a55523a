using System.Collections.Generic;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Drift;
using DigestTools.Engine.Pinning;
using Xunit;

namespace DigestTools.Tests.Drift
{
    /// <summary>
    /// What drift and replicas read from a container: which repository and tag it follows and which digest it runs,
    /// from the io.digesttools labels, Config.Image and the image's RepoDigests as the engines write them.
    /// </summary>
    public sealed class ContainerImageIdentityTests
    {
        private const string A = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        private const string B = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
        private const string C = "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
        private const string ImageId = "sha256:5970a8c9cefdd48e7b81d6020a71b9b9629f0551d1c6011b6704aacd1a3db63f";
        private const string App = "registry.test/app";

        private static EngineImage Image(params string[] repoDigests)
            => new EngineImage { Id = ImageId, RepoDigests = repoDigests, Os = "linux", Architecture = "arm64", Variant = "v8" };

        private static Dictionary<string, string> Labels(string source, string digest) => new Dictionary<string, string>
        {
            [ReplicaCreator.LabelSourceReference] = source,
            [ReplicaCreator.LabelDigest] = digest,
        };

        [Fact]
        public void APinnedReplicaFollowsItsSourceLabelAndRunsTheDigestItNames()
        {
            var identity = ContainerImageIdentity.Of(App + "@" + B, ImageId, Labels(App + ":v1", B),
                Image(App + "@" + A, App + "@" + B, "registry.test/other@" + C));

            Assert.Equal(App + ":v1", identity.Reference.ToString());
            Assert.Equal("v1", identity.Tag);
            Assert.True(identity.Pinned);
            Assert.Equal(App + ":v1", identity.SourceReference);
            Assert.Equal(B, identity.PinnedDigest);
            Assert.Equal(new[] { A, B }, identity.Digests);
            Assert.Equal(B, identity.NamedDigest);
            Assert.Equal(B, identity.RunningDigest());
            Assert.Equal("linux/arm64/v8", identity.Platform);
        }

        [Fact]
        public void ATaggedContainerRunsTheFirstDigestItCarries()
        {
            var identity = ContainerImageIdentity.Of(App + ":v2", ImageId, null, Image(App + "@" + A, App + "@" + B));

            Assert.Equal(App + ":v2", identity.Reference.ToString());
            Assert.Equal("v2", identity.Tag);
            Assert.False(identity.Pinned);
            Assert.Null(identity.SourceReference);
            Assert.Null(identity.PinnedDigest);
            Assert.Null(identity.NamedDigest);
            Assert.Equal(A, identity.RunningDigest());
        }

        [Fact]
        public void TheNamedDigestIsTheFirstTheImageCarriesOfConfigImageThenPinLabelThenSourceLabel()
        {
            EngineImage image = Image(App + "@" + A, App + "@" + B);
            // Config.Image's digest is not in the image (another repository's form): the pin label's is.
            Assert.Equal(A, ContainerImageIdentity.Of(App + "@" + C, ImageId, Labels(App + ":v1", A), image).NamedDigest);
            // No pin label: the source label's digest.
            Assert.Equal(B, ContainerImageIdentity.Of(App + ":v1", ImageId, Labels(App + "@" + B, " "), image).NamedDigest);
            // None of them carried: none named, and the tag of a source that names only a digest is null.
            var unnamed = ContainerImageIdentity.Of(App + "@" + C, ImageId, Labels(App + "@" + C, C), image);
            Assert.Null(unnamed.NamedDigest);
            Assert.Null(unnamed.Tag);
            Assert.Equal(C, unnamed.PinnedDigest);
        }

        [Fact]
        public void AContainerWithoutTagFollowsLatestAndOneByDigestFollowsNoTag()
        {
            EngineImage image = Image(App + "@" + A);
            Assert.Equal("latest", ContainerImageIdentity.Of(App, ImageId, null, image).Tag);

            var byDigest = ContainerImageIdentity.Of(App + "@" + A, ImageId, null, image);
            Assert.Null(byDigest.Tag);
            Assert.True(byDigest.Pinned);
            Assert.Equal(A, byDigest.NamedDigest);
        }

        [Theory]
        [InlineData("sha256:5970a8c9cefdd48e7b81d6020a71b9b9629f0551d1c6011b6704aacd1a3db63f", ImageId)]
        [InlineData("5970a8c9cefd", ImageId)]                                                                   // a short id
        [InlineData("sha256:5970a8c9cefd", ImageId)]                                                            // a short id with its algorithm
        [InlineData("5970a8c9cefd", "5970a8c9cefdd48e7b81d6020a71b9b9629f0551d1c6011b6704aacd1a3db63f")]     // an id without its algorithm
        [InlineData("", ImageId)]
        [InlineData(null, ImageId)]
        public void AContainerCreatedFromAnImageIdFollowsTheImagesOnlyRepository(string configured, string imageId)
        {
            var identity = ContainerImageIdentity.Of(configured, imageId, null, Image(App + "@" + A, App + "@" + B, "not a reference"));

            Assert.Equal(App, identity.Reference.Name);
            Assert.Null(identity.Tag);
            Assert.False(identity.Pinned);
            Assert.Equal(new[] { A, B }, identity.Digests);
        }

        [Fact]
        public void AnImageIdOfAnImageInSeveralRepositoriesNamesNone()
        {
            var identity = ContainerImageIdentity.Of(ImageId, ImageId, null, Image(App + "@" + A, "registry.test/other@" + A));

            Assert.Null(identity.Reference);
            Assert.Null(identity.Tag);
            Assert.Empty(identity.Digests);
            Assert.Null(identity.RunningDigest());
        }

        [Fact]
        public void ANameIsReadEvenWhenTheEngineGivesNoImageId()
        {
            var identity = ContainerImageIdentity.Of("5970a8c9cefd", null, null, null);

            Assert.Equal("docker.io/library/5970a8c9cefd", identity.Reference.Name);
            Assert.Equal("latest", identity.Tag);
            Assert.Empty(identity.Digests);
            Assert.Null(identity.Platform);
            Assert.Null(ContainerImageIdentity.Of(ImageId, ImageId, null, null).Reference);   // no image: no repository to fall back on
        }

        [Fact]
        public async Task OfSeveralDigestsTheFirstTheRegistryHasRunsAskedInOrderAndOnlyWhenTheImageLeavesAChoice()
        {
            var asked = new List<string>();
            System.Func<string, Task<bool>> registryHas(params string[] present) => d => { asked.Add(d); return Task.FromResult(System.Array.IndexOf(present, d) >= 0); };
            var several = ContainerImageIdentity.Of(App + ":v1", ImageId, null, Image(App + "@" + A, App + "@" + B, App + "@" + C));

            Assert.Equal(B, await several.RunningDigestAsync(registryHas(B, C)));
            Assert.Equal(new[] { A, B }, asked);   // stops at the first found
            asked.Clear();
            Assert.Null(await several.RunningDigestAsync(registryHas()));
            Assert.Equal(new[] { A, B, C }, asked);

            // A named digest, or a single one: taken without asking.
            asked.Clear();
            Assert.Equal(C, await ContainerImageIdentity.Of(App + "@" + C, ImageId, null, Image(App + "@" + A, App + "@" + C)).RunningDigestAsync(registryHas()));
            Assert.Equal(A, await ContainerImageIdentity.Of(App + ":v1", ImageId, null, Image(App + "@" + A, "registry.test/other@" + B)).RunningDigestAsync(registryHas()));
            Assert.Null(await ContainerImageIdentity.Of(App + ":v1", ImageId, null, Image("registry.test/other@" + B)).RunningDigestAsync(registryHas()));
            Assert.Empty(asked);
        }
    }
}
