using System.Collections.Generic;
using DigestTools.Engine.PinFiles;
using Xunit;

namespace DigestTools.Tests.PinFiles
{
    /// <summary>The .env syntax as Compose documents it, one rule per row.</summary>
    public class ComposeEnvFileTests
    {
        [Theory]
        [InlineData("TAG=1.2", "1.2")]
        [InlineData("TAG=1.2\r\n", "1.2")]
        [InlineData("  TAG = 1.2  ", "1.2")]
        [InlineData("export TAG=1.2", "1.2")]
        [InlineData("TAG=1.2 # the release", "1.2")]
        [InlineData("TAG=1.2# not a comment", "1.2# not a comment")]
        [InlineData("TAG=\"1.2 # not a comment\"", "1.2 # not a comment")]
        [InlineData("TAG=\"1.2\" # comment", "1.2")]
        [InlineData("TAG='$OTHER'", "$OTHER")]
        [InlineData("TAG='Let\\'s go'", "Let's go")]
        [InlineData("TAG=\"a\\tb\\\\c\\\"d\"", "a\tb\\c\"d")]
        [InlineData("TAG='a\\tb'", "a\\tb")]
        [InlineData("TAG=", "")]
        [InlineData("TAG=\"two\nlines\"", "two\nlines")]
        public void OneValue(string text, string expected)
        {
            Assert.Equal(expected, ComposeEnvFile.Parse(text)["TAG"]);
        }

        [Fact]
        public void LaterLinesInterpolateEarlierKeysUnlessSingleQuoted()
        {
            var values = ComposeEnvFile.Parse(
                "# registry and tag\n\nREGISTRY=mirror.example:5000\nIMAGE=${REGISTRY}/shop/api\n" +
                "QUOTED=\"$REGISTRY/x\"\nLITERAL='${REGISTRY}'\nDEFAULTED=${MISSING:-fallback}\nTAG=1\nTAG=2\n");
            Assert.Equal("mirror.example:5000/shop/api", values["IMAGE"]);
            Assert.Equal("mirror.example:5000/x", values["QUOTED"]);
            Assert.Equal("${REGISTRY}", values["LITERAL"]);
            Assert.Equal("fallback", values["DEFAULTED"]);
            Assert.Equal("2", values["TAG"]);   // the last line wins
        }

        [Fact]
        public void KeysWithoutValuesAndUnknownLinesGiveNothing()
        {
            // "KEY" alone takes the caller's environment in Compose, which a pin never reads; ${UNSET} has no value.
            var values = ComposeEnvFile.Parse("KEY\nnot a line\nFROM_UNSET=${UNSET}\nB=1\n");
            Assert.Equal(new Dictionary<string, string> { ["B"] = "1" }, values);
        }
    }
}
