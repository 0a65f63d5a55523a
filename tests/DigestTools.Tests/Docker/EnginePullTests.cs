using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using DigestTools.Tests.Pinning;
using DigestTools.Tests.Support;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// What EngineClient.PullAsync sends the real dockerd besides the name: the caller's credential (an htpasswd
    /// registry refuses the pull without it) and the platform (the engine stores that platform's image), and the
    /// tag it pulled, which the engine then lists and inspects the image under.
    /// </summary>
    [Collection(AuthRegistriesCollection.Name)]
    public sealed class EnginePullTests
    {
        private readonly AuthRegistriesFixture _registries;

        public EnginePullTests(AuthRegistriesFixture registries) => _registries = registries;

        private static TestEnvironment Env => TestEnvironment.Current;

        [Fact]
        public async Task APullWithTheCallersCredentialSucceedsWhereTheSamePullWithoutItIsRefused()
        {
            // The suite's image, pushed through the anonymous registry into the storage the htpasswd registry serves.
            string registry = _registries.Basic.Address;
            string repository = registry + "/private/dt-pull-" + Guid.NewGuid().ToString("n");
            await RegistryCopy.CopyAsync(ParsedReference.Parse(Env.OciReference), ParsedReference.Parse(_registries.Anonymous.Address + repository.Substring(registry.Length) + ":v1"));
            using (EngineClient client = await EngineClientTests.ConnectAsync("Docker"))
            {
                FailureException refused = await Assert.ThrowsAsync<FailureException>(() =>
                    client.PullAsync(new ImagePullRequest { Repository = repository, TagOrDigest = "v1" }, null, CancellationToken.None));
                Assert.Equal(ErrorCatalog.RegistryAuthenticationFailed, refused.Kind);

                string auth = RegistryAuthHeader.Encode(new RegistryCredential(AuthRegistriesFixture.User, _registries.Password), registry);
                await client.PullAsync(new ImagePullRequest { Repository = repository, TagOrDigest = "v1", RegistryAuth = auth }, null, CancellationToken.None);
                EngineImage image = await client.InspectImageAsync(repository + ":v1", CancellationToken.None);
                Assert.Contains(repository + "@" + Env.OciDigest, image.RepoDigests);
            }
        }

        [Fact]
        public async Task APullForAPlatformStoresThatPlatformsImage()
        {
            // A repository of this test's own: the engine keeps one image per name, and other tests pull the index for amd64.
            var scratch = ParsedReference.Parse($"{Env.Registry}/dt-platform-{Guid.NewGuid():n}/multi:v1");
            await RegistryCopy.CopyAllPlatformsAsync(ParsedReference.Parse(Env.OciIndexReference), scratch);
            string repository = scratch.ToString().Substring(0, scratch.ToString().LastIndexOf(':'));
            using (EngineClient client = await EngineClientTests.ConnectAsync("Docker"))
            {
                await client.PullAsync(new ImagePullRequest { Repository = repository, TagOrDigest = "v1", Platform = "linux/arm64/v8" }, null, CancellationToken.None);
                EngineImage image = await client.InspectImageAsync(repository + ":v1", CancellationToken.None);
                Assert.Equal(("linux", "arm64", "v8"), (image.Os, image.Architecture, image.Variant));
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task AnImagePulledByTagIsListedAndInspectedUnderThatTag(string engine)
        {
            using (EngineClient client = await EngineClientTests.ConnectAsync(engine))
            {
                string repository = Env.OciReference.Substring(0, Env.OciReference.LastIndexOf(':'));
                await client.PullAsync(new ImagePullRequest { Repository = repository, TagOrDigest = Env.OciReference.Substring(repository.Length + 1) }, null, CancellationToken.None);
                Assert.Contains(Env.OciReference, (await client.InspectImageAsync(Env.OciReference, CancellationToken.None)).RepoTags);
                Assert.Contains(await client.ListImagesAsync(CancellationToken.None), i => i.RepoTags.Contains(Env.OciReference));
            }
        }
    }
}
