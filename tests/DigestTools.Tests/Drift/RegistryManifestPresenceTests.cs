using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DigestTools.Engine.Registry;
using DigestTools.Tests.Pinning;
using Xunit;

namespace DigestTools.Tests.Drift
{
    /// <summary>"Does this digest still resolve?" against the real registry, deletes included.</summary>
    public sealed class RegistryManifestPresenceTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;

        private static ManifestPresence Check(string repository, string digest, string platform = null, List<string> log = null)
        {
            using (var client = new RegistryClient(new RegistryClientOptions { Log = log == null ? null : (System.Action<string>)log.Add }))
                return new ManifestPresenceCheck(client).CheckAsync(
                    new ManifestQuery { Registry = Env.Registry, Repository = repository, Digest = digest, Platform = platform }, CancellationToken.None)
                    .GetAwaiter().GetResult();
        }

        private static string Index(string repository, string tag) => LiveTools.Push("multi", Env.Registry + "/" + repository + ":" + tag);

        private static string Child(string repository, string index, string platform, List<string> log = null)
        {
            using (var client = new RegistryClient(new RegistryClientOptions { Log = log == null ? null : (System.Action<string>)log.Add }))
                return client.ResolveAsync(new ManifestQuery { Registry = Env.Registry, Repository = repository, Digest = index, Platform = platform }, CancellationToken.None)
                    .GetAwaiter().GetResult().PlatformDigest;
        }

        [Fact]
        public void APresentManifestIsItsOwnPlatformDigest()
        {
            string repository = "presence/" + LiveTools.UniqueName("single");
            string digest = LiveTools.Push("hello", Env.Registry + "/" + repository + ":v1");
            ManifestPresence p = Check(repository, digest);
            Assert.True(p.Exists);
            Assert.Null(p.MissingDigest);
            Assert.Equal(digest, p.Digest);
            Assert.Equal(digest, p.PlatformDigest);
            Assert.Equal("application/vnd.oci.image.manifest.v1+json", p.MediaType);
        }

        [Fact]
        public void ASingleManifestIsAskedForOnceAsOneResolutionWould()
        {
            string repository = "presence/" + LiveTools.UniqueName("once");
            string digest = LiveTools.Push("hello", Env.Registry + "/" + repository + ":v1");
            var resolution = new List<string>();
            var presence = new List<string>();
            Child(repository, digest, null, resolution);
            Check(repository, digest, null, presence);
            Assert.Contains(resolution, line => line.Contains("/manifests/" + digest));
            Assert.Equal(Requests(resolution), Requests(presence));
        }

        // The request lines of a -Verbose log (an answer line has ": <status>" after the URI).
        private static string[] Requests(IEnumerable<string> log) => log.Where(line => !line.Contains(": ")).ToArray();

        [Fact]
        public void ADeletedManifestIsMissing()
        {
            string repository = "presence/" + LiveTools.UniqueName("deleted");
            string digest = LiveTools.Push("hello", Env.Registry + "/" + repository + ":v1");
            LiveTools.DeleteManifest(repository, digest);
            ManifestPresence p = Check(repository, digest);
            Assert.False(p.Exists);
            Assert.Equal(digest, p.Digest);
            Assert.Equal(digest, p.MissingDigest);
            Assert.Null(p.PlatformDigest);
            Assert.Null(p.MediaType);
        }

        [Fact]
        public void AnIndexIsPresentWithItsChildForThePlatform()
        {
            string repository = "presence/" + LiveTools.UniqueName("index");
            string index = Index(repository, "multi");
            ManifestPresence p = Check(repository, index, "linux/arm64/v8");
            Assert.True(p.Exists);
            Assert.Equal(Child(repository, index, "linux/arm64/v8"), p.PlatformDigest);
            Assert.NotEqual(Child(repository, index, "linux/amd64"), p.PlatformDigest);
        }

        [Fact]
        public void AnIndexWhoseChildForThePlatformIsGoneIsMissingThatChildOnly()
        {
            string repository = "presence/" + LiveTools.UniqueName("child");
            string index = Index(repository, "multi");
            string amd64 = Child(repository, index, "linux/amd64");
            LiveTools.DeleteManifest(repository, amd64);

            ManifestPresence gone = Check(repository, index, "linux/amd64");
            Assert.False(gone.Exists);
            Assert.Equal(index, gone.Digest);
            Assert.Equal(amd64, gone.MissingDigest);
            Assert.Null(gone.PlatformDigest);
            Assert.True(Check(repository, index, "linux/arm64/v8").Exists);
        }

        [Fact]
        public void ARegistryThatCannotBeAskedThrowsRatherThanSayingMissing()
        {
            using (var client = new RegistryClient(new RegistryClientOptions { RequestTimeout = System.TimeSpan.FromSeconds(2) }))
            {
                var query = new ManifestQuery { Registry = "127.0.0.1:1", Repository = "x/y", Digest = "sha256:" + new string('a', 64) };
                Assert.ThrowsAny<System.Exception>(() => new ManifestPresenceCheck(client).CheckAsync(query, CancellationToken.None).GetAwaiter().GetResult());
            }
        }
    }
}
