using System.Linq;
using System.Text;
using DigestTools.Engine.Registry;
using Xunit;

namespace DigestTools.Tests
{
    public sealed class RegistryPlatformSelectorTests
    {
        private static string D(char c) => "sha256:" + new string(c, 64);

        // An index as BuildKit writes it: two platforms, an arm/v7, and an attestation for each image.
        private static readonly string s_index = @"{
  ""schemaVersion"": 2,
  ""mediaType"": ""application/vnd.oci.image.index.v1+json"",
  ""manifests"": [
    { ""mediaType"": ""application/vnd.oci.image.manifest.v1+json"", ""digest"": """ + D('a') + @""", ""size"": 100,
      ""platform"": { ""architecture"": ""amd64"", ""os"": ""linux"" } },
    { ""mediaType"": ""application/vnd.oci.image.manifest.v1+json"", ""digest"": """ + D('b') + @""", ""size"": 200,
      ""platform"": { ""architecture"": ""arm64"", ""os"": ""linux"", ""variant"": ""v8"" } },
    { ""mediaType"": ""application/vnd.oci.image.manifest.v1+json"", ""digest"": """ + D('c') + @""", ""size"": 300,
      ""platform"": { ""architecture"": ""arm"", ""os"": ""linux"", ""variant"": ""v7"" } },
    { ""mediaType"": ""application/vnd.oci.image.manifest.v1+json"", ""digest"": """ + D('d') + @""", ""size"": 400,
      ""platform"": { ""architecture"": ""unknown"", ""os"": ""unknown"" },
      ""annotations"": { ""vnd.docker.reference.digest"": """ + D('a') + @""", ""vnd.docker.reference.type"": ""attestation-manifest"" } },
    { ""mediaType"": ""application/vnd.oci.image.manifest.v1+json"", ""digest"": """ + D('e') + @""", ""size"": 500,
      ""platform"": { ""architecture"": ""amd64"", ""os"": ""linux"" },
      ""annotations"": { ""vnd.docker.reference.type"": ""attestation-manifest"" } },
    { ""mediaType"": ""application/vnd.oci.image.manifest.v1+json"", ""digest"": """ + D('f') + @""", ""size"": 600,
      ""platform"": { ""architecture"": ""amd64"", ""os"": ""windows"", ""os.version"": ""10.0.20348.2113"" } }
  ]
}";

        private static PlatformManifest[] Platforms()
            => PlatformSelector.ListPlatforms(ManifestDocument.Parse(Encoding.UTF8.GetBytes(s_index)).Manifests).ToArray();

        [Fact]
        public void AttestationsAreNotPlatforms()
        {
            PlatformManifest[] platforms = Platforms();
            Assert.Equal(new[] { "linux/amd64", "linux/arm64/v8", "linux/arm/v7", "windows/amd64" }, platforms.Select(p => p.ToString()));
            Assert.DoesNotContain(platforms, p => p.Digest == D('d') || p.Digest == D('e'));
            Assert.Equal("10.0.20348.2113", platforms[3].OsVersion);
            Assert.Equal(200, platforms[1].Size);
        }

        [Theory]
        [InlineData("linux/amd64", 'a')]
        [InlineData("LINUX/AMD64", 'a')]
        [InlineData("linux/x86_64", 'a')]
        [InlineData("linux/amd64/v1", 'a')]
        [InlineData("linux/arm64", 'b')]
        [InlineData("linux/arm64/v8", 'b')]
        [InlineData("linux/aarch64", 'b')]
        [InlineData("linux/arm", 'c')]
        [InlineData("linux/arm/v7", 'c')]
        [InlineData("linux/armhf", 'c')]
        [InlineData("windows/amd64", 'f')]
        public void SelectsTheRequestedPlatform(string requested, char digest)
        {
            Assert.Equal(D(digest), PlatformSelector.Select(Platforms(), requested)?.Digest);
        }

        [Theory]
        [InlineData("linux/s390x")]
        [InlineData("linux/arm/v6")]
        [InlineData("linux/arm64/v9")]
        [InlineData("darwin/arm64")]
        [InlineData("unknown/unknown")]
        [InlineData("linux")]
        [InlineData("linux/amd64/v2/extra")]
        [InlineData("")]
        public void NoMatchGivesNull(string requested)
        {
            Assert.Null(PlatformSelector.Select(Platforms(), requested));
        }

        [Fact]
        public void AnIndexWithoutVariantOnArm64StillMatchesV8()
        {
            var platforms = new[] { new PlatformManifest { Os = "linux", Architecture = "arm64", Digest = D('1') } };
            Assert.Equal(D('1'), PlatformSelector.Select(platforms, "linux/arm64/v8")?.Digest);
            Assert.Equal(D('1'), PlatformSelector.Select(platforms, "linux/arm64")?.Digest);
        }

        private static PlatformManifest Linux(string architecture, string variant, char digest)
            => new PlatformManifest { Os = "linux", Architecture = architecture, Variant = variant, Digest = D(digest) };

        [Theory]
        [InlineData("linux/arm", '6')]       // arm means arm/v7; no v7 entry: v6 is the best older variant
        [InlineData("linux/arm/v7", '6')]
        [InlineData("linux/arm/v6", '6')]
        [InlineData("linux/arm/v5", '5')]
        [InlineData("linux/armhf", '6')]
        [InlineData("linux/armel", '6')]
        public void AnArmRequestFallsBackToTheNewestOlderVariant(string requested, char digest)
        {
            // Listed oldest first on purpose: the order of preference is the matcher's, not the index's.
            var platforms = new[] { Linux("arm", "v5", '5'), Linux("arm", "v6", '6') };
            Assert.Equal(D(digest), PlatformSelector.Select(platforms, requested)?.Digest);
        }

        [Fact]
        public void AnArmRequestNeverTakesANewerVariant()
        {
            var platforms = new[] { Linux("arm", "v7", '7'), Linux("arm64", "v8", '8') };
            Assert.Null(PlatformSelector.Select(platforms, "linux/arm/v6"));
            Assert.Null(PlatformSelector.Select(platforms, "linux/arm/v5"));
            // Asked without a variant, arm means v7 and arm64 means v8: a newer variant is still not taken.
            Assert.Null(PlatformSelector.Select(new[] { Linux("arm", "v8", '8') }, "linux/arm"));
            Assert.Null(PlatformSelector.Select(new[] { Linux("arm64", "v9", '9') }, "linux/arm64"));
        }

        [Fact]
        public void OnlyABareSingleDigitArmVariantIsAVariantNumber()
        {
            // "6" is v6 (as containerd reads it); "x" and "12" are not numbers of a variant and stay as written.
            Assert.Null(PlatformSelector.Select(new[] { Linux("arm", "x", '1') }, "linux/arm/vx"));
            Assert.Null(PlatformSelector.Select(new[] { Linux("arm", "12", '2') }, "linux/arm/v12"));
            Assert.Equal(D('2'), PlatformSelector.Select(new[] { Linux("arm", "12", '2') }, "linux/arm/12")?.Digest);
        }

        [Fact]
        public void PlainAmd64NeverSelectsAHigherMicroarchitectureLevel()
        {
            // amd64/v3 listed first: a plain amd64 machine (v1, the default on x86-64) cannot run it.
            var platforms = new[] { Linux("amd64", "v3", '3'), Linux("amd64", null, '1') };
            Assert.Equal(D('1'), PlatformSelector.Select(platforms, "linux/amd64")?.Digest);
            Assert.Null(PlatformSelector.Select(new[] { Linux("amd64", "v3", '3') }, "linux/amd64"));
            Assert.Null(PlatformSelector.Select(new[] { Linux("amd64", "v3", '3') }, "linux/amd64/v2"));
        }

        [Theory]
        [InlineData("linux/amd64/v3", '3')]
        [InlineData("linux/amd64/v4", '3')]
        [InlineData("linux/amd64/v2", '2')]
        [InlineData("linux/amd64/v1", '1')]
        public void AnAmd64LevelTakesItselfOrTheNextLowerLevel(string requested, char digest)
        {
            var platforms = new[] { Linux("amd64", null, '1'), Linux("amd64", "v2", '2'), Linux("amd64", "v3", '3') };
            Assert.Equal(D(digest), PlatformSelector.Select(platforms, requested)?.Digest);
        }

        [Fact]
        public void AnArchitectureWithoutVariantLevelsTakesItsFirstEntryWhenNoVariantIsAsked()
        {
            var platforms = new[] { Linux("riscv64", "rva22", 'r') };
            Assert.Equal(D('r'), PlatformSelector.Select(platforms, "linux/riscv64")?.Digest);
            Assert.Null(PlatformSelector.Select(platforms, "linux/riscv64/rva20"));
        }

        [Fact]
        public void TheDefaultPlatformIsLinuxOnThisMachinesArchitecture()
        {
            string expected = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64
                ? "linux/arm64" : System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64 ? "linux/amd64" : null;
            if (expected != null) Assert.Equal(expected, PlatformSelector.DefaultPlatform());
            Assert.StartsWith("linux/", PlatformSelector.DefaultPlatform());
        }

        [Fact]
        public void ParserReadsMediaTypeSchemaAndSkipsUnknownMembers()
        {
            ManifestDocument document = ManifestDocument.Parse(Encoding.UTF8.GetBytes(
                @"{""annotations"":{""x"":[1,{""y"":null}]},""schemaVersion"":2,""mediaType"":""application/vnd.docker.distribution.manifest.list.v2+json"",""manifests"":[{""digest"":""" + D('9') + @""",""platform"":{""os"":""linux"",""architecture"":""amd64"",""features"":[""sse4""]},""extra"":{}}]}"));
            Assert.Equal(2, document.SchemaVersion);
            Assert.Equal(ManifestMediaTypes.DockerManifestList, document.MediaType);
            Assert.Single(document.Manifests);
            Assert.Equal(D('9'), document.Manifests[0].Digest);
            Assert.Equal("amd64", document.Manifests[0].Architecture);
        }

        [Theory]
        [InlineData("")]
        [InlineData("[]")]
        [InlineData("{\"manifests\": [")]
        [InlineData("not json")]
        public void ParserRejectsWhatIsNotAJsonObject(string body)
        {
            Assert.Throws<System.FormatException>(() => ManifestDocument.Parse(Encoding.UTF8.GetBytes(body)));
        }

        [Theory]
        [InlineData("linux/x86-64", '1')]
        [InlineData("linux/i386", '3')]
        [InlineData("linux/386", '3')]
        [InlineData("linux/arm/6", '6')]
        [InlineData("linux/arm64/8", '8')]
        [InlineData("linux/armel", '6')]
        [InlineData(" linux/amd64 ", '1')]
        public void AliasesAndBareVariantNumbersAreNormalizedAsContainerdDoes(string requested, char digest)
        {
            var platforms = new[] { Linux("arm", "v7", '7'), Linux("arm", "6", '6'), Linux("aarch64", "8", '8'), Linux("x86_64", null, '1'), Linux("i386", null, '3') };
            Assert.Equal(D(digest), PlatformSelector.Select(platforms, requested)?.Digest);
        }

        [Fact]
        public void OnlyUnknownOsAndUnknownArchitectureTogetherMakeAnAttestation()
        {
            Assert.True(PlatformSelector.IsAttestation(new PlatformManifest { Os = "unknown", Architecture = "unknown" }));
            Assert.False(PlatformSelector.IsAttestation(new PlatformManifest { Os = "unknown", Architecture = "amd64" }));
            Assert.False(PlatformSelector.IsAttestation(new PlatformManifest { Os = "linux", Architecture = "unknown" }));
            Assert.True(PlatformSelector.IsAttestation(new PlatformManifest { Os = "linux", Architecture = "amd64", ReferenceType = "attestation-manifest" }));
        }

        [Fact]
        public void EntriesWithoutOsOrArchitectureAreLeftOutAndAnEmptyVariantIsNone()
        {
            var listed = PlatformSelector.ListPlatforms(new[]
            {
                new PlatformManifest { Os = "", Architecture = "amd64", Digest = D('1') },
                new PlatformManifest { Os = "linux", Architecture = null, Digest = D('2') },
                new PlatformManifest { Os = "linux", Architecture = "amd64", Variant = "", Digest = D('3') },
            });
            PlatformManifest only = Assert.Single(listed);
            Assert.Equal(D('3'), only.Digest);
            Assert.Null(only.Variant);
            Assert.Equal("linux/amd64", only.ToString());
        }

        [Theory]
        [InlineData("linux/amd64", "linux", "amd64", null)]
        [InlineData(" Linux/ARM/V7 ", "linux", "arm", "v7")]
        public void TryParseReadsLowercaseParts(string text, string os, string architecture, string variant)
        {
            Assert.True(PlatformSelector.TryParse(text, out string o, out string a, out string v));
            Assert.Equal(os, o);
            Assert.Equal(architecture, a);
            Assert.Equal(variant, v);
        }

        [Theory]
        [InlineData(null)]
        [InlineData(" ")]
        [InlineData("linux")]
        [InlineData("linux//v7")]
        [InlineData("/amd64")]
        [InlineData("linux/arm/v7/x")]
        public void TryParseRefusesWhatIsNotOsArchVariant(string text)
        {
            Assert.False(PlatformSelector.TryParse(text, out string os, out string architecture, out string variant));
            Assert.Null(os);
            Assert.Null(architecture);
            Assert.Null(variant);
        }

        [Theory]
        [InlineData("arm", "v8", new[] { "v8", "v7", "v6", "v5" })]
        [InlineData("arm", "v6", new[] { "v6", "v5" })]
        [InlineData("arm", "v5", new[] { "v5" })]
        [InlineData("amd64", "v3", new[] { "v3", "v2", null })]
        [InlineData("amd64", "v2", new[] { "v2", null })]
        [InlineData("amd64", null, new string[] { null })]
        [InlineData("arm64", "v9", new[] { "v9" })]
        [InlineData("arm", "v+7", new[] { "v+7" })]
        [InlineData("arm", "v7.1", new[] { "v7.1" })]
        public void AcceptableVariantsRunFromTheRequestedOneDownToTheOldestLevel(string architecture, string variant, string[] expected)
            => Assert.Equal(expected, PlatformSelector.AcceptableVariants(architecture, variant));
    }
}
