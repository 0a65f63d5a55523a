using System.Collections.Generic;
using DigestTools.Engine.PinFiles;
using Xunit;

namespace DigestTools.Tests.PinFiles
{
    public class VariableExpanderTests
    {
        private static readonly Dictionary<string, string> Args = new Dictionary<string, string>
        {
            ["SET"] = "value", ["EMPTY"] = "", ["NODEFAULT"] = null,
        };

        [Theory]
        [InlineData("$SET:1", "value:1")]
        [InlineData("${SET}", "value")]
        [InlineData("${EMPTY:-d}", "d")]
        [InlineData("${EMPTY-d}", "")]
        [InlineData("${NODEFAULT:-d}", "d")]
        [InlineData("${MISSING-${SET}x}", "valuex")]
        [InlineData("${SET:+alt}", "alt")]
        [InlineData("${EMPTY:+alt}", "")]
        [InlineData("a\\$SET", "a$SET")]
        [InlineData("${NODEFAULT}", null)]
        [InlineData("${SET#v}", null)]
        [InlineData("x${MISSING:?needed}", null)]
        public void DockerfileForms(string text, string expected)
        {
            Assert.Equal(expected, VariableExpander.ForDockerfile(Args, '\\').Expand(text, out _));
        }

        [Theory]
        [InlineData("${SET?msg}", "value", null)]
        [InlineData("${MISSING?msg}", null, "MISSING")]
        [InlineData("${EMPTY?msg}", "", null)]
        [InlineData("${EMPTY:?msg}", null, "EMPTY")]
        [InlineData("${MISSING+alt}", "", null)]
        [InlineData("${EMPTY+alt}", "alt", null)]
        [InlineData("${MISSING:-${ALSO}}", null, "ALSO")]
        [InlineData("${MISSING:-{a}}", "{a}", null)]
        [InlineData("${SET:-${ALSO}}", "value", null)]
        [InlineData("pre${SET", null, "${SET")]
        [InlineData("${}", null, "${}")]
        [InlineData("${:-x}", null, "${:-x}")]
        [InlineData("${S", null, "${S")]
        [InlineData("${SET%.*}", null, "${SET%.*}")]
        [InlineData("${SET:}", null, "${SET:}")]
        [InlineData("a$", "a$", null)]
        [InlineData("$1$-", "$1$-", null)]
        [InlineData("$_SET", null, "_SET")]
        [InlineData("$SET_1x", null, "SET_1x")]
        [InlineData("$SET.$SET", "value.value", null)]
        [InlineData("a\\", "a\\", null)]
        [InlineData("\\x$SET", "\\xvalue", null)]
        [InlineData("$NODEFAULT", null, "NODEFAULT")]
        [InlineData("$$SET", "$value", null)]
        [InlineData("$aZz", null, "aZz")]
        [InlineData("$A09", null, "A09")]
        public void DockerfileFormsAndTheVariableReported(string text, string expected, string unresolved)
        {
            Assert.Equal(expected, VariableExpander.ForDockerfile(Args, '\\').Expand(text, out string missing));
            Assert.Equal(unresolved, missing);
        }

        [Fact]
        public void TheBacktickEscapeProtectsADollarAndABackslashDoesNot()
        {
            var backtick = VariableExpander.ForDockerfile(Args, '`');
            Assert.Equal("$SET", backtick.Expand("`$SET", out _));
            Assert.Equal("\\value", backtick.Expand("\\$SET", out _));
            Assert.Equal("a`", backtick.Expand("a`", out _));
        }

        [Fact]
        public void ComposeDoubledDollarIsLiteralAndEnvironmentIsIgnored()
        {
            var compose = VariableExpander.ForCompose(new Dictionary<string, string>());
            Assert.Equal("a$b", compose.Expand("a$$b", out _));
            Assert.Equal("${X}$", compose.Expand("$${X}$", out _));
            Assert.Equal("\\", compose.Expand("\\", out _));
            Assert.Null(compose.Expand("${HOME}", out string unresolved));
            Assert.Equal("HOME", unresolved);
        }
    }
}
