using DigestTools.Engine.Registry;
using Xunit;

namespace DigestTools.Tests
{
    public sealed class RegistryRateLimitTests
    {
        [Theory]
        [InlineData("100;w=21600", 100)]
        [InlineData("76;w=21600", 76)]
        [InlineData(" 100 ;w=21600", 100)]
        [InlineData("200", 200)]
        [InlineData("0;w=21600", 0)]
        public void TheCountBeforeTheWindow(string header, int expected)
        {
            Assert.Equal(expected, RateLimitHeader.Parse(header));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData(";w=21600")]
        [InlineData("-1;w=21600")]
        [InlineData("many")]
        [InlineData("99999999999999")]
        public void NotANumberIsNull(string header)
        {
            Assert.Null(RateLimitHeader.Parse(header));
        }
    }
}
