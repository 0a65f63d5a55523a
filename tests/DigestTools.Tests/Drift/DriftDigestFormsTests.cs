using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Drift;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.Registry;
using DigestTools.Tests.Pinning;
using Xunit;

namespace DigestTools.Tests.Drift
{
    /// <summary>
    /// Which digests drift compares, against the real registry and dockerd: an index against an index and a platform
    /// manifest against the tag's child for the container's platform, the child of an index that must still resolve,
    /// a container that names only a digest (no tag to follow), and a pinned digest that differs from the one the tag
    /// names for the same image in another manifest form.
    /// </summary>
    public sealed class DriftDigestFormsTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;

        private static async Task<ContainerDrift> DriftOfAsync(EngineClient client, string container)
        {
            using (var lookups = new DriftRegistryLookups(new RegistryClientOptions(), 16, new RecordingLog()))
                return Assert.Single(await new DriftCheck(client, lookups).CheckAsync(new[] { container }, false, CancellationToken.None)).Drift;
        }

        private static string NewPath(string what) => "drift-forms/" + LiveTools.UniqueName(what);

        // A container created on dockerd from repository:v1 after the fixture was pushed there; removed afterwards.
        private static async Task WithContainerAsync(string fixture, string what, Func<EngineClient, string, string, string, Task> check)
        {
            string path = NewPath(what);
            string repository = Env.Registry + "/" + path;
            string digest = LiveTools.Push(fixture, repository + ":v1");
            string name = LiveTools.UniqueName(what);
            LiveTools.Docker(Env.DockerHost, "create", "--name", name, "--network", "none", repository + ":v1");
            try
            {
                using (EngineClient client = LiveTools.Connect(Env.DockerHost))
                    await check(client, path, name, digest);
            }
            finally
            {
                LiveTools.CleanUp(Env.DockerHost, new[] { name }, repository + ":v1");
            }
        }

        [Fact]
        public Task AnIndexWhosePlatformChildIsDeletedIsPinMissingThoughTheTagStillNamesIt()
            => WithContainerAsync("multi", "index-child", async (client, path, name, index) =>
            {
                ContainerDrift current = await DriftOfAsync(client, name);
                Assert.Equal((ContainerDriftStatus.Current, index, index, "linux/amd64"), (current.Status, current.RunningDigest, current.CurrentDigest, current.Platform));

                // The amd64 child (what runs) goes; the index the tag names stays.
                LiveTools.DeleteManifest(path, Env.OciDigest);
                ContainerDrift missing = await DriftOfAsync(client, name);
                Assert.Equal((ContainerDriftStatus.PinMissing, index, index), (missing.Status, missing.RunningDigest, missing.CurrentDigest));
            });

        [Fact]
        public Task AnIndexIsComparedWithTheTagsIndexByItsChildForThePlatform()
            => WithContainerAsync("multi", "index-moved", async (client, path, name, first) =>
            {
                // Another index over the same amd64 image: what runs is still what the tag names for this platform.
                string plain = LiveTools.Push("multi-plain", Env.Registry + "/" + path + ":v1");
                Assert.NotEqual(first, plain);
                ContainerDrift drift = await DriftOfAsync(client, name);
                Assert.Equal((ContainerDriftStatus.Current, first, plain), (drift.Status, drift.RunningDigest, drift.CurrentDigest));
            });

        [Fact]
        public Task APlatformManifestIsComparedWithTheTagsChildWhenTheTagNowNamesAnIndex()
            => WithContainerAsync("alt", "single-to-index", async (client, path, name, alt) =>
            {
                LiveTools.Push("multi", Env.Registry + "/" + path + ":v1");
                ContainerDrift drift = await DriftOfAsync(client, name);
                Assert.Equal((ContainerDriftStatus.TagMoved, alt, Env.OciDigest), (drift.Status, drift.RunningDigest, drift.CurrentDigest));
            });

        [Fact]
        public async Task AContainerPinnedToThePlatformManifestOfAnIndexTagIsComparedWithTheTagsChild()
        {
            // Only the child is pulled into this repository: the engine records no index digest for it.
            string path = NewPath("pinned-child");
            string repository = Env.Registry + "/" + path;
            LiveTools.Push("multi", repository + ":v1");
            string name = LiveTools.UniqueName("pinned-child");
            LiveTools.Docker(Env.DockerHost, "create", "--name", name, "--network", "none",
                "--label", ReplicaCreator.LabelSourceReference + "=" + repository + ":v1", repository + "@" + Env.OciDigest);
            try
            {
                using (EngineClient client = LiveTools.Connect(Env.DockerHost))
                {
                    ContainerDrift current = await DriftOfAsync(client, name);
                    Assert.Equal((ContainerDriftStatus.Current, Env.OciDigest, Env.OciDigest), (current.Status, current.RunningDigest, current.CurrentDigest));

                    LiveTools.DeleteManifest(path, Env.OciDigest);
                    ContainerDrift missing = await DriftOfAsync(client, name);
                    Assert.Equal((ContainerDriftStatus.PinMissing, Env.OciDigest, Env.OciDigest), (missing.Status, missing.RunningDigest, missing.CurrentDigest));
                }
            }
            finally
            {
                LiveTools.CleanUp(Env.DockerHost, new[] { name }, repository + "@" + Env.OciDigest);
            }
        }

        [Fact]
        public async Task AContainerThatNamesOnlyADigestIsCurrentWhileItResolvesAndPinMissingAfter()
        {
            string path = NewPath("digest-only");
            string repository = Env.Registry + "/" + path;
            string digest = LiveTools.Push("hello", repository + ":v1");
            string name = LiveTools.UniqueName("digest-only");
            LiveTools.Docker(Env.DockerHost, "create", "--name", name, "--network", "none", repository + "@" + digest);
            try
            {
                using (EngineClient client = LiveTools.Connect(Env.DockerHost))
                {
                    ContainerDrift current = await DriftOfAsync(client, name);
                    Assert.Equal((ContainerDriftStatus.Current, true, (string)null, digest, (string)null), (current.Status, current.Pinned, current.Tag, current.RunningDigest, current.CurrentDigest));

                    LiveTools.DeleteManifest(path, digest);
                    ContainerDrift missing = await DriftOfAsync(client, name);
                    Assert.Equal((ContainerDriftStatus.PinMissing, digest, (string)null), (missing.Status, missing.RunningDigest, missing.CurrentDigest));
                }
            }
            finally
            {
                LiveTools.CleanUp(Env.DockerHost, new[] { name }, repository + "@" + digest);
            }
        }

        [Fact]
        public async Task APinnedDigestIsWhatRunsEvenWhenTheImageAlsoCarriesTheDigestTheTagNamesNow()
        {
            // One image as an OCI manifest and then as a Docker manifest under the same tag: the engine records both
            // digests for the image, but the container is pinned to the first, which the tag no longer names.
            var tagged = Engine.References.ParsedReference.Parse(Env.Registry + "/" + NewPath("two-forms") + ":v1");
            string oci = await RegistryCopy.PushLayoutTagAsync("two-forms", "oci", tagged);
            string name = LiveTools.UniqueName("two-forms");
            LiveTools.Docker(Env.DockerHost, "create", "--name", name, "--network", "none",
                "--label", ReplicaCreator.LabelSourceReference + "=" + tagged, tagged.Name + "@" + oci);
            string docker = await RegistryCopy.PushLayoutTagAsync("two-forms", "v2s2", tagged);
            LiveTools.Docker(Env.DockerHost, "pull", "--quiet", tagged.ToString());
            try
            {
                using (EngineClient client = LiveTools.Connect(Env.DockerHost))
                {
                    ContainerDrift drift = await DriftOfAsync(client, name);
                    Assert.Equal((ContainerDriftStatus.TagMoved, oci, docker, "v1"), (drift.Status, drift.RunningDigest, drift.CurrentDigest, drift.Tag));
                }
            }
            finally
            {
                LiveTools.CleanUp(Env.DockerHost, new[] { name }, tagged.ToString(), tagged.Name + "@" + oci);
            }
        }
    }
}
