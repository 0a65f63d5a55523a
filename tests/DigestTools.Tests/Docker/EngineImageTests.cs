using DigestTools.Engine.Docker;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>EngineImage.Platform: os/arch[/variant] only when the engine named both os and architecture.</summary>
    public sealed class EngineImageTests
    {
        [Theory]
        [InlineData("linux", "amd64", null, "linux/amd64")]
        [InlineData("linux", "amd64", "", "linux/amd64")]
        [InlineData("linux", "arm64", "v8", "linux/arm64/v8")]
        [InlineData(null, "amd64", null, null)]
        [InlineData("", "amd64", "v8", null)]
        [InlineData("linux", null, null, null)]
        [InlineData("linux", "", "v8", null)]
        public void PlatformIsKnownOnlyWithOsAndArchitecture(string os, string architecture, string variant, string expected)
            => Assert.Equal(expected, new EngineImage { Os = os, Architecture = architecture, Variant = variant }.Platform);

        [Fact]
        public void ANewImageHasEmptyListsNotNulls()
        {
            var image = new EngineImage();
            Assert.Empty(image.RepoTags);
            Assert.Empty(image.RepoDigests);
        }
    }
}
