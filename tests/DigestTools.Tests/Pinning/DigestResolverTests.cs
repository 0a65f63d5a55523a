using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using Xunit;

namespace DigestTools.Tests.Pinning
{
    /// <summary>
    /// DigestResolver against the suite's registry: which tag a reference is resolved by, one shared resolution per
    /// reference and platform (never one for two different ones), and the exact verbose lines a caller shows.
    /// </summary>
    public sealed class DigestResolverTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;
        private static readonly string Digest = "sha256:" + new string('e', 64);

        [Theory]
        [InlineData("127.0.0.1:5000/app", "latest")]
        [InlineData("127.0.0.1:5000/app:1.2", "1.2")]
        [InlineData("127.0.0.1:5000/app:1.2@sha256:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "1.2")]
        [InlineData("127.0.0.1:5000/app@sha256:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", null)]
        public void TheTagResolvedIsTheReferencesOwnOrLatestWithoutADigest(string reference, string tag)
            => Assert.Equal(tag, DigestResolver.TagToResolve(ParsedReference.Parse(reference)));

        [Fact]
        public void DifferentReferencesNeverShareAResolution()
        {
            // Nothing is awaited: the keys alone decide sharing (the registry answers unknown names with errors).
            using (var resolver = new DigestResolver(new RegistryClientOptions(), 4, new RecordingLog()))
            {
                string r = Env.Registry + "/dt-keys";
                Task Resolve(string reference, string platform = null) => resolver.Resolve(ParsedReference.Parse(reference), platform, CancellationToken.None);
                Assert.Same(Resolve(r + "/a:v1"), Resolve(r + "/a:v1"));
                Assert.NotSame(Resolve(r + "/a:bc"), Resolve(r + "/ab:c"));
                Assert.NotSame(Resolve(r + "/a:v1", "linux/amd64"), Resolve(r + "/a:v1l", "inux/amd64"));
                Assert.NotSame(Resolve(r + "/a:v1"), Resolve(r + "/a:v1", "linux/amd64"));
                Assert.NotSame(Resolve(r + "/a"), Resolve(r + "/a@" + Digest));
                Assert.Same(Resolve(r + "/a"), Resolve(r + "/a:latest"));
            }
        }

        [Fact]
        public async Task EachResolutionSaysWhatItAsksAndWhatItGot()
        {
            var log = new RecordingLog();
            using (var resolver = new DigestResolver(new RegistryClientOptions(), 4, log))
            {
                var tagged = ParsedReference.Parse(Env.OciReference);
                ManifestResolution byTag = await resolver.Resolve(tagged, null, CancellationToken.None);
                var index = ParsedReference.Parse(Env.OciIndexReference);
                ManifestResolution forPlatform = await resolver.Resolve(index, "linux/amd64", CancellationToken.None);
                var pinned = ParsedReference.Parse(tagged.Name + "@" + Env.OciDigest);
                await resolver.Resolve(pinned, null, CancellationToken.None);

                Assert.Equal(Env.OciDigest, byTag.Digest);
                Assert.Equal("linux/amd64", forPlatform.Platform);
                Assert.Equal(new[]
                {
                    $"Asking {Env.Registry} for the digest of {tagged.Name}:{tagged.Tag}.",
                    $"{tagged}: {Env.OciDigest}",
                    $"Asking {Env.Registry} for the digest of {index.Name}:{index.Tag} (platform linux/amd64).",
                    $"{index}: {forPlatform.Digest} (linux/amd64: {forPlatform.PlatformDigest})",
                    $"Asking {Env.Registry} whether {pinned.Name}@{Env.OciDigest} exists.",
                    $"{pinned}: {Env.OciDigest}",
                }, log.VerboseLines.ToArray());
            }
        }
    }
}
