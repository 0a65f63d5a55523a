using System;
using DigestTools.Engine.PinFiles;
using Xunit;
using static DigestTools.Tests.PinFiles.PinFileTestText;

namespace DigestTools.Tests.PinFiles
{
    /// <summary>The pinned form of a reference as written, and the rewrite that changes those characters only.</summary>
    public class PinFileRewriterTests
    {
        private const string Old = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

        [Theory]
        [InlineData("app", false, false, "app:latest@" + Digest)]
        [InlineData("app:1", true, false, "app:1@" + Digest)]
        [InlineData("${IMAGE}", false, false, "${IMAGE}@" + Digest)]              // a variable may hold a tag: none added
        [InlineData("app:1@" + Old, true, true, "app:1@" + Digest)]
        [InlineData("${IMAGE}@" + Old, false, true, "${IMAGE}@" + Digest)]
        [InlineData("app:1@${DIGEST}", true, true, null)]
        [InlineData("app:1@$DIGEST", true, true, null)]
        [InlineData("${IMAGE:-app@}", false, true, null)]
        [InlineData("app:1@sha256:${HEX}", true, true, null)]
        [InlineData("${IMAGE:-app@" + Old + "}", false, true, null)]
        [InlineData("${PINNED}", true, true, null)]                            // the digest is inside the variable
        public void PinnedText(string written, bool hasTag, bool hasDigest, string expected)
        {
            Assert.Equal(expected, PinFileRewriter.PinnedText(written, Digest, hasTag, hasDigest));
        }

        [Fact]
        public void RewriteChangesTheSitesInOffsetOrderAndKeepsEverythingElse()
        {
            const string text = "FROM a AS x\nFROM bb\n";
            var first = new ImageSite { Offset = 5, Length = 1 };
            var second = new ImageSite { Offset = 17, Length = 2 };
            Assert.Equal("FROM a:1 AS x\nFROM bb:2\n", PinFileRewriter.Rewrite(text, new[] { (second, "bb:2"), (first, "a:1") }));
            Assert.Equal(text, PinFileRewriter.Rewrite(text, new (ImageSite, string)[0]));
        }

        [Fact]
        public void OverlappingSitesAreRefused()
        {
            var one = new ImageSite { Offset = 5, Length = 3 };
            var other = new ImageSite { Offset = 7, Length = 2 };
            var refused = Assert.Throws<ArgumentException>(() => PinFileRewriter.Rewrite("FROM abcdef\n", new[] { (one, "x"), (other, "y") }));
            Assert.StartsWith("Overlapping rewrites at offset 7.", refused.Message);
            var adjacent = new ImageSite { Offset = 8, Length = 1 };
            Assert.Equal("FROM xyef\n", PinFileRewriter.Rewrite("FROM abcdef\n", new[] { (one, "x"), (adjacent, "y") }));
        }
    }
}
