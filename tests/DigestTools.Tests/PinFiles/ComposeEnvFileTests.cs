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
        [InlineData("\tTAG\t=\t1.2\t", "1.2")]
        [InlineData("TAG=a\t# comment", "a")]
        [InlineData("TAG=a #b\nOTHER=1", "a")]
        [InlineData("TAG=1\rOTHER=2", "1")]
        [InlineData("TAG=\"a\\qb\"", "a\\qb")]
        [InlineData("TAG=\"a\\nb\\rc\"", "a\nb\rc")]
        [InlineData("TAG='a\\nb'", "a\\nb")]
        [InlineData("TAG=\"unclosed", "unclosed")]
        [InlineData("TAG=\"end\\", "end\\")]
        [InlineData("TAG='x' # comment\nOTHER=1", "x")]
        [InlineData("export\tTAG=1.2", "1.2")]
        [InlineData("# TAG=no\n\r\n\nTAG=yes", "yes")]
        [InlineData("TAG=\"$$\"", "$")]
        [InlineData("TAG= #x", "#x")]
        [InlineData("TAG=1.2\n  ", "1.2")]
        [InlineData("TAG=1.2\nexport", "1.2")]
        [InlineData("TAG=1.2\nKEY", "1.2")]
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
        public void KeysTakeLettersDigitsDotsDashesAndUnderscores()
        {
            var values = ComposeEnvFile.Parse("export=1\nexportX=2\na.b-c_9=3\n=4\n  # indented comment\nA=1\nA=${UNSET}\nB=\"${C:-d}\"");
            Assert.Equal(new Dictionary<string, string> { ["export"] = "1", ["exportX"] = "2", ["a.b-c_9"] = "3", ["B"] = "d" }, values);
        }

        [Fact]
        public void KeysWithoutValuesAndUnknownLinesGiveNothing()
        {
            // "KEY" alone takes the caller's environment in Compose, which a pin never reads; ${UNSET} has no value;
            // what follows a closing quote is the rest of that line, not another key.
            var values = ComposeEnvFile.Parse("KEY\nnot a line\nFROM_UNSET=${UNSET}\nB=1\nC='x' AFTER_QUOTE=1\n");
            Assert.Equal(new Dictionary<string, string> { ["B"] = "1", ["C"] = "x" }, values);
        }
    }
}
