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

        [Fact]
        public void ComposeDoubledDollarIsLiteralAndEnvironmentIsIgnored()
        {
            var compose = VariableExpander.ForCompose(new Dictionary<string, string>());
            Assert.Equal("a$b", compose.Expand("a$$b", out _));
            Assert.Null(compose.Expand("${HOME}", out string unresolved));
            Assert.Equal("HOME", unresolved);
        }
    }
}
