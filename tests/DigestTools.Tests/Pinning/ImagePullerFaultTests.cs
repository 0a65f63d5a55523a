using System;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.References;
using DigestTools.Tests.Support;
using DigestTools.TestServers;
using Xunit;

namespace DigestTools.Tests.Pinning
{
    /// <summary>
    /// The pull's proofs against an engine that lies (the real dockerd or Podman behind the fault proxy, which rewrites
    /// the pull stream or the image inspect on their way back): a pull is reported only when the image the engine
    /// then holds carries the digest, and otherwise fails with an ErrorId that says why.
    /// </summary>
    public sealed class ImagePullerFaultTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;
        private const string OtherDigest = "sha256:0000000000000000000000000000000000000000000000000000000000000001";
        private const string ThirdDigest = "sha256:0000000000000000000000000000000000000000000000000000000000000002";
        private const string ImageInspect = "/images/.+/json$";

        private static async Task<FailureException> PullFailsAsync(string engine, ParsedReference reference, params FaultRule[] rules)
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost(engine), TimeSpan.FromSeconds(60)))
            {
                foreach (FaultRule rule in rules) engines.Proxy.Rules.Add(rule);
                return await Assert.ThrowsAsync<FailureException>(() => new ImagePuller(engines.Client, new RecordingLog()).PullAsync(reference, null, null, CancellationToken.None));
            }
        }

        private static Task<ParsedReference> ScratchCopyAsync(string engine)
            => RegistryCopy.ScratchCopyAsync(Env.OciReference, "puller-faults-" + engine.ToLowerInvariant(), "v1");

        private static FaultRule Replace(string path, string find, string value) => new FaultRule { Path = path, Action = "replace-text", Find = find, Value = value };

        [Fact]
        public async Task AStreamThatNamesAnotherDigestThanTheOneAskedForFailsTheByDigestPull()
        {
            ParsedReference scratch = await ScratchCopyAsync("Docker");
            var byDigest = ParsedReference.Parse(scratch.Name + "@" + Env.OciDigest);

            FailureException e = await PullFailsAsync("Docker", byDigest, Replace("/images/create", Env.OciDigest, OtherDigest));

            Assert.Same(ErrorCatalog.DigestMismatch, e.Kind);
            Assert.Equal($"The engine's image for {byDigest} does not carry the expected digest {Env.OciDigest}; the engine recorded {OtherDigest}.", e.Message);
        }

        [Fact]
        public async Task AnImageThatDoesNotCarryTheStreamsDigestFailsTheTagPull()
        {
            ParsedReference tagged = await ScratchCopyAsync("Docker");

            FailureException other = await PullFailsAsync("Docker", tagged, Replace(ImageInspect, "@" + Env.OciDigest, "@" + OtherDigest));
            Assert.Same(ErrorCatalog.DigestMismatch, other.Kind);
            Assert.EndsWith($"does not carry the expected digest {Env.OciDigest}; the engine recorded {OtherDigest}.", other.Message);

            FailureException two = await PullFailsAsync("Docker", tagged,
                Replace(ImageInspect, $"{tagged.Name}@{Env.OciDigest}\"", $"{tagged.Name}@{OtherDigest}\",\"{tagged.Name}@{ThirdDigest}\""));
            Assert.Same(ErrorCatalog.DigestMismatch, two.Kind);
            Assert.EndsWith($"does not carry the expected digest {Env.OciDigest}; the engine recorded {OtherDigest}, {ThirdDigest}.", two.Message);

            // No RepoDigests entry for this repository at all.
            FailureException none = await PullFailsAsync("Docker", tagged, Replace(ImageInspect, tagged.Name + "@", tagged.Name + "-elsewhere@"));
            Assert.Same(ErrorCatalog.DigestMismatch, none.Kind);
            Assert.EndsWith($"does not carry the expected digest {Env.OciDigest}; the engine recorded none.", none.Message);
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task AnEngineThatHasNoImageAfterASuccessfulPullFailsIt(string engine)
        {
            ParsedReference tagged = await ScratchCopyAsync(engine);

            FailureException e = await PullFailsAsync(engine, tagged, FaultRule.EngineError("GET", ImageInspect, 404, "No such image"));

            Assert.Same(ErrorCatalog.PullNotVerified, e.Kind);
            Assert.Equal($"The engine reported a successful pull of {tagged} but has no image {tagged} afterwards.", e.Message);
        }

        // Podman's stream names no digest: the image's RepoDigests alone say what the tag gave.
        [Fact]
        public async Task APodmanImageWithNoDigestForTheRepositoryCannotBePinned()
        {
            ParsedReference tagged = await ScratchCopyAsync("Podman");

            FailureException e = await PullFailsAsync("Podman", tagged, Replace(ImageInspect, tagged.Name + "@", tagged.Name + "-elsewhere@"));

            Assert.Same(ErrorCatalog.NoRegistryDigest, e.Kind);
            Assert.Equal($"After pulling {tagged} the engine records no registry digest for {tagged.Name}, so the image cannot be pinned.", e.Message);
        }

        [Fact]
        public async Task APodmanImageWithSeveralDigestsNoneOfThemTheTagsIsAmbiguous()
        {
            ParsedReference tagged = await ScratchCopyAsync("Podman");

            // The engine claims two digests for the repository; the registry says the tag names a third (the tag moved).
            FailureException e = await PullFailsAsync("Podman", tagged,
                Replace(ImageInspect, $"{tagged.Name}@{Env.OciDigest}\"", $"{tagged.Name}@{OtherDigest}\",\"{tagged.Name}@{ThirdDigest}\""));

            // Podman lists every digest of the shared image under each of its names: other tests may add the Docker form's.
            Assert.Same(ErrorCatalog.AmbiguousDigest, e.Kind);
            Assert.StartsWith($"After pulling {tagged} the engine records several digests for {tagged.Name} (", e.Message);
            Assert.Contains(OtherDigest, e.Message);
            Assert.Contains(ThirdDigest, e.Message);
            Assert.EndsWith($") and did not say which one the tag named; the registry now names {Env.OciDigest}, none of them (the tag moved). Resolve the tag with Get-ImageDigest and pull by digest.", e.Message);
        }
    }
}
