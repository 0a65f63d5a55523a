using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.PinFiles;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using DigestTools.Tests.PinFiles;
using Xunit;

namespace DigestTools.Tests.Pinning
{
    using ImagePinAction = DigestTools.Engine.PinFiles.ImagePinAction;
    using ImagePinStatus = DigestTools.Engine.PinFiles.ImagePinStatus;

    /// <summary>
    /// Test-ImagePin's and Update-ImagePin's workflow against the suite's registry: a tag moved away from a file's
    /// pin, a pin whose manifest is not in the registry, a platform's child manifest deleted under its index, a tag
    /// that is not there, -Refresh, a pin written as a variable, and a platform's pin of an index or of its child.
    /// (Not in DigestTools.Tests.PinFiles: that namespace's tests need no test environment.)
    /// </summary>
    public sealed class ImagePinWorkflowRegistryTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;
        private static readonly string Absent = "sha256:" + new string('e', 64);

        // A repository of the test's own: "moved" first names the Oci fixture, then the OciAlt one; "kept" stays.
        private static async Task<(string Name, string AltDigest)> MovedTagAsync()
        {
            ParsedReference moved = await RegistryCopy.ScratchCopyAsync(Env.OciReference, "dt-pinwf", "moved");
            await RegistryCopy.CopyAsync(ParsedReference.Parse(Env.OciReference), ParsedReference.Parse(moved.Name + ":kept"));
            await RegistryCopy.CopyAsync(ParsedReference.Parse(Env.OciAltReference), moved);
            using (var resolver = new DigestResolver(new RegistryClientOptions(), 4, new RecordingLog()))
                return (moved.Name, (await resolver.Resolve(moved, null, CancellationToken.None)).Digest);
        }

        private static ImagePinWorkflow NewWorkflow(DigestResolver resolver) => new ImagePinWorkflow(resolver, new RecordingLog());

        [Fact]
        public async Task CheckTellsAMovedTagAMissingPinAndACurrentPinApart()
        {
            var (name, alt) = await MovedTagAsync();
            Assert.NotEqual(Env.OciDigest, alt);
            using (var folder = new EnvFileFolder())
            using (var resolver = new DigestResolver(new RegistryClientOptions(), 4, new RecordingLog()))
            {
                string path = folder.Write("Dockerfile",
                    $"FROM {name}:moved@{Env.OciDigest}\nFROM {name}@{Absent}\nFROM {name}:kept@{Env.OciDigest}\nFROM {name}:nosuch@{Env.OciDigest}\n" +
                    $"FROM {name}@{Env.OciDigest}\n");
                var findings = (await NewWorkflow(resolver).CheckAsync(new[] { (path, PinFileFormat.Dockerfile) }, CancellationToken.None)).Single().Findings;

                Assert.Equal(new[] { ImagePinStatus.TagMoved, ImagePinStatus.PinMissing, ImagePinStatus.Pinned, ImagePinStatus.Unresolvable, ImagePinStatus.Pinned },
                    findings.Select(f => f.Status));
                Assert.Equal(alt, findings[0].CurrentDigest);
                Assert.Equal($"{name}:moved now names {alt}", findings[0].Reason);
                Assert.Equal(Env.OciDigest, findings[0].Digest);
                Assert.Null(findings[1].Error);
                Assert.Contains(Absent, findings[1].Reason);
                Assert.Equal(Env.OciDigest, findings[2].CurrentDigest);
                Assert.Null(findings[2].Reason);
                Assert.Equal(ErrorCatalog.ManifestUnknown, findings[3].Error.Kind);
                Assert.Equal(findings[3].Error.Message, findings[3].Reason);
                Assert.Null(findings[4].CurrentDigest);   // no tag: only the pin is asked for
            }
        }

        [Fact]
        public async Task CheckFindsAPlatformsChildManifestDeletedUnderItsIndex()
        {
            string repository = $"dt-pinwf-{Guid.NewGuid():n}/multi";
            var index = ParsedReference.Parse($"{Env.Registry}/{repository}:1");
            await RegistryCopy.CopyAllPlatformsAsync(ParsedReference.Parse(Env.OciIndexReference), index);
            ManifestResolution amd64;
            using (var resolver = new DigestResolver(new RegistryClientOptions(), 4, new RecordingLog()))
                amd64 = await resolver.Resolve(index, "linux/amd64", CancellationToken.None);
            Assert.NotEqual(amd64.Digest, amd64.PlatformDigest);
            using (var http = new HttpClient())
                (await http.DeleteAsync($"http://{Env.Registry}/v2/{repository}/manifests/{amd64.PlatformDigest}")).EnsureSuccessStatusCode();

            using (var folder = new EnvFileFolder())
            using (var resolver = new DigestResolver(new RegistryClientOptions(), 4, new RecordingLog()))
            {
                string path = folder.Write("Dockerfile",
                    $"FROM --platform=linux/amd64 {index}@{amd64.Digest}\nFROM --platform=linux/arm64/v8 {index}@{amd64.Digest}\nFROM {index}@{amd64.Digest}\n");
                var findings = (await NewWorkflow(resolver).CheckAsync(new[] { (path, PinFileFormat.Dockerfile) }, CancellationToken.None)).Single().Findings;

                Assert.Equal(new[] { ImagePinStatus.PinMissing, ImagePinStatus.Pinned, ImagePinStatus.Pinned }, findings.Select(f => f.Status));
                Assert.Contains(amd64.PlatformDigest, findings[0].Reason);
                Assert.Null(findings[0].Error);
            }
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task UpdateRewritesAMovedPinOnlyWithRefresh(bool refresh)
        {
            var (name, alt) = await MovedTagAsync();
            using (var folder = new EnvFileFolder())
            using (var resolver = new DigestResolver(new RegistryClientOptions(), 4, new RecordingLog()))
            {
                string path = folder.Write("Dockerfile", $"ARG PIN={Env.OciDigest}\n" +
                    $"FROM {name}:moved@{Env.OciDigest}\nFROM {name}:kept@{Env.OciDigest}\nFROM {name}:kept\nFROM {name}:nosuch\nFROM {name}:moved@${{PIN}}\n");
                var findings = (await NewWorkflow(resolver).PlanUpdateAsync(new[] { (path, PinFileFormat.Dockerfile) }, refresh, CancellationToken.None)).Single().Findings;

                var moved = findings[0];
                Assert.Equal(alt, moved.CurrentDigest);
                if (refresh)
                {
                    Assert.Equal(ImagePinAction.Refreshed, moved.Action);
                    Assert.Equal($"{name}:moved@{alt}", moved.NewText);
                    Assert.Equal(alt, moved.Digest);
                    Assert.Equal($"{name}:moved@{alt}", moved.PinnedReference);
                }
                else
                {
                    Assert.Equal(ImagePinAction.Skipped, moved.Action);
                    Assert.Equal($"the tag now names {alt}; -Refresh rewrites the pin", moved.Reason);
                    Assert.Null(moved.NewText);
                    Assert.Equal(Env.OciDigest, moved.Digest);
                    Assert.Equal($"{name}:moved@{Env.OciDigest}", moved.PinnedReference);
                }

                Assert.Equal(ImagePinAction.AlreadyCurrent, findings[1].Action);
                Assert.Null(findings[1].NewText);
                Assert.Equal(ImagePinAction.Pinned, findings[2].Action);
                Assert.Equal($"{name}:kept@{Env.OciDigest}", findings[2].NewText);
                Assert.Equal(ImagePinAction.Skipped, findings[3].Action);
                Assert.Equal(ErrorCatalog.ManifestUnknown, findings[3].Error.Kind);
                // A pin written as a variable is no text to rewrite: even -Refresh leaves it, saying why.
                Assert.Equal(ImagePinAction.Skipped, findings[4].Action);
                Assert.Equal(refresh ? "the digest comes from a variable, so it cannot be rewritten here" : $"the tag now names {alt}; -Refresh rewrites the pin",
                    findings[4].Reason);
                Assert.Null(findings[4].NewText);
            }
        }

        // A file naming a platform may pin the tag's index or that platform's own manifest: both are the tag's
        // current image, so Update keeps either, with or without -Refresh.
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task UpdateKeepsAPlatformPinOfTheIndexOrOfItsChild(bool refresh)
        {
            var index = ParsedReference.Parse(Env.OciIndexReference);
            using (var folder = new EnvFileFolder())
            using (var resolver = new DigestResolver(new RegistryClientOptions(), 4, new RecordingLog()))
            {
                ManifestResolution amd64 = await resolver.Resolve(index, "linux/amd64", CancellationToken.None);
                Assert.NotEqual(amd64.Digest, amd64.PlatformDigest);
                string path = folder.Write("Dockerfile",
                    $"FROM --platform=linux/amd64 {index}@{amd64.Digest}\nFROM --platform=linux/amd64 {index}@{amd64.PlatformDigest}\n");
                var findings = (await NewWorkflow(resolver).PlanUpdateAsync(new[] { (path, PinFileFormat.Dockerfile) }, refresh, CancellationToken.None)).Single().Findings;

                Assert.Equal(new[] { ImagePinAction.AlreadyCurrent, ImagePinAction.AlreadyCurrent }, findings.Select(f => f.Action));
                Assert.Equal(new string[] { null, null }, findings.Select(f => f.NewText));
                Assert.Equal(new[] { amd64.Digest, amd64.PlatformDigest }, findings.Select(f => f.Digest));
                Assert.Equal($"{index}@{amd64.PlatformDigest}", findings[1].PinnedReference);
            }
        }
    }
}
