using System.Collections.Generic;
using System.Linq;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Pinning;
using Xunit;

namespace DigestTools.Tests
{
    public sealed class EngineReplicaAndRowTests
    {
        private static readonly string A = "sha256:" + new string('a', 64);
        private static readonly string B = "sha256:" + new string('b', 64);

        [Fact]
        public void ReplicasAreNamedNameDashNumber()
        {
            Assert.Equal(new[] { "db" }, ReplicaNames.For("db", 1));
            Assert.Equal(new[] { "db-1", "db-2", "db-3" }, ReplicaNames.For("db", 3));
            Assert.Equal(new string[] { null, null }, ReplicaNames.For(null, 2));
        }

        private static string Cli(LocalDigestRow r) => $"{r.Repository ?? "<none>"}|{r.Tag ?? "<none>"}|{r.Digest ?? "<none>"}";

        [Fact]
        public void AllGivesEveryTagTimesEveryDigestOfItsRepositoryLikeTheCli()
        {
            var image = new EngineImage
            {
                Id = "sha256:" + new string('1', 64),
                RepoTags = new[] { "busybox:latest", "busybox:1", "127.0.0.1:5000/x/y:v1" },
                RepoDigests = new[] { "busybox@" + A, "busybox@" + B, "127.0.0.1:5000/x/y@" + A, "127.0.0.1:5000/only/digest@" + B },
            };
            var rows = LocalDigestRows.Build(new[] { image }, all: true).Select(Cli).OrderBy(s => s).ToArray();
            Assert.Equal(new[]
            {
                "127.0.0.1:5000/only/digest|<none>|" + B,
                "127.0.0.1:5000/x/y|v1|" + A,
                "busybox|1|" + A, "busybox|1|" + B,
                "busybox|latest|" + A, "busybox|latest|" + B,
            }.OrderBy(s => s), rows);
        }

        [Fact]
        public void ARepositoryWithDigestsAndNoTagGivesEveryDigestWithAllAndTheFirstWithout()
        {
            var image = new EngineImage { Id = "sha256:4", RepoTags = new string[0], RepoDigests = new[] { "127.0.0.1:5000/only/digest@" + A, "127.0.0.1:5000/only/digest@" + B } };

            Assert.Equal(new[] { A, B }, LocalDigestRows.Build(new[] { image }, all: true).Select(r => r.Digest));
            LocalDigestRow first = Assert.Single(LocalDigestRows.Build(new[] { image }, all: false));
            Assert.Equal((A, "127.0.0.1:5000/only/digest", (string)null), (first.Digest, first.Reference, first.Tag));
            Assert.Equal("127.0.0.1:5000/only/digest@" + A, first.PinnedReference);
        }

        [Fact]
        public void DefaultKeepsOneRowPerRepositoryAndTagWithAllDigestsListed()
        {
            var image = new EngineImage { Id = "sha256:1", RepoTags = new[] { "busybox:latest" }, RepoDigests = new[] { "busybox@" + A, "busybox@" + B } };
            LocalDigestRow row = Assert.Single(LocalDigestRows.Build(new[] { image }, all: false));
            Assert.Equal(A, row.Digest);
            Assert.Equal(new[] { A, B }, row.Digests);
            Assert.Equal("docker.io/library/busybox@" + A, row.PinnedReference);
            Assert.Equal("busybox:latest", row.Reference);
        }

        [Fact]
        public void ALocallyBuiltImageHasNoDigestAndSaysSo()
        {
            var image = new EngineImage { Id = "sha256:2", RepoTags = new[] { "app:dev" }, RepoDigests = new string[0] };
            LocalDigestRow row = Assert.Single(LocalDigestRows.Build(new[] { image }, all: true));
            Assert.Null(row.Digest);
            Assert.Null(row.PinnedReference);
            LocalImageDigest shown = LocalImageDigest.From(row, "unix:///run/test.sock");
            Assert.Equal("unix:///run/test.sock", shown.Engine);
            Assert.False(shown.HasRegistryDigest);
            Assert.Equal("NoRegistryDigest", shown.Status);
        }

        [Fact]
        public void ADanglingImageIsOneRowOfNones()
        {
            var image = new EngineImage { Id = "sha256:3", RepoTags = new[] { "<none>:<none>" }, RepoDigests = new[] { "<none>@<none>" } };
            Assert.Equal("<none>|<none>|<none>", Cli(Assert.Single(LocalDigestRows.Build(new[] { image }, all: true))));
        }

        [Fact]
        public void PodmansDigestNamesInRepoTagsAreNotTags()
        {
            var image = new EngineImage { Id = "sha256:4", RepoTags = new[] { "127.0.0.1:5000/x/y@" + A }, RepoDigests = new[] { "127.0.0.1:5000/x/y@" + A } };
            Assert.Equal("127.0.0.1:5000/x/y|<none>|" + A, Cli(Assert.Single(LocalDigestRows.Build(new[] { image }, all: true))));
        }

        [Fact]
        public void DigestsForMatchesOnlyTheGivenRepository()
        {
            var image = new EngineImage { RepoDigests = new[] { "busybox@" + A, "docker.io/library/busybox@" + A, "other/busybox@" + B } };
            Assert.Equal(new[] { A }, ImagePuller.DigestsFor(image, "docker.io/library/busybox"));
        }
    }
}
