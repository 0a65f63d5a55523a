using System.Linq;
using DigestTools.Engine.Registry.Authentication;
using Xunit;

namespace DigestTools.Tests
{
    public sealed class AuthChallengeParsingTests
    {
        [Fact]
        public void BearerWithRealmServiceAndScope()
        {
            var c = AuthenticationChallenge.Parse(new[] { "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/ubuntu:pull\"" }).Single();
            Assert.True(c.IsBearer);
            Assert.Equal("https://auth.docker.io/token", c.Realm);
            Assert.Equal("registry.docker.io", c.Service);
            Assert.Equal("repository:library/ubuntu:pull", c.Scope);
        }

        [Fact]
        public void QuotedValuesMayContainCommasAndEscapedQuotes()
        {
            var c = AuthenticationChallenge.Parse(new[] { "Bearer realm=\"https://h/token?a=1,b=2\", scope=\"repository:a/b:pull,push\", error=\"insufficient_scope\", note=\"say \\\"hi\\\"\"" }).Single();
            Assert.Equal("https://h/token?a=1,b=2", c.Realm);
            Assert.Equal("repository:a/b:pull,push", c.Scope);
            Assert.Equal("insufficient_scope", c.Error);
            Assert.Equal("say \"hi\"", c.Parameters["note"]);
        }

        [Fact]
        public void ScopeMayBeMissingAndNamesAreCaseInsensitive()
        {
            var c = AuthenticationChallenge.Parse(new[] { "bearer Realm=\"https://h/token\" , SERVICE=reg" }).Single();
            Assert.True(c.IsBearer);
            Assert.Equal("https://h/token", c.Realm);
            Assert.Equal("reg", c.Service);
            Assert.Null(c.Scope);
        }

        [Fact]
        public void SeveralChallengesInOneHeader()
        {
            var all = AuthenticationChallenge.Parse(new[] { "Basic realm=\"basic-realm\", Bearer realm=\"https://h/t\",service=\"s\"" });
            Assert.Equal(2, all.Count);
            Assert.True(all[0].IsBasic);
            Assert.Equal("basic-realm", all[0].Realm);
            Assert.True(all[1].IsBearer);
            Assert.Equal("s", all[1].Service);
        }

        [Fact]
        public void SeveralHeaderValuesAndAToken68()
        {
            var all = AuthenticationChallenge.Parse(new[] { "Negotiate abc==", "Basic realm=\"r\"" });
            Assert.Equal(new[] { "Negotiate", "Basic" }, all.Select(c => c.Scheme).ToArray());
            Assert.Equal("r", all[1].Realm);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("=,,=\"")]
        [InlineData("Bearer realm=\"unterminated")]
        public void GarbageNeverThrows(string header)
        {
            var all = AuthenticationChallenge.Parse(new[] { header });
            Assert.NotNull(all);
        }

        [Fact]
        public void UnterminatedQuoteKeepsWhatItHas()
        {
            Assert.Equal("unterminated", AuthenticationChallenge.Parse(new[] { "Bearer realm=\"unterminated" }).Single().Realm);
        }

        [Fact]
        public void AHeaderMayEndRightAfterASchemeATokenOrAnEqualsSign()
        {
            var basic = AuthenticationChallenge.Parse(new[] { "Basic" }).Single();
            Assert.True(basic.IsBasic);
            Assert.Empty(basic.Parameters);
            Assert.Equal("", AuthenticationChallenge.Parse(new[] { "Bearer realm=" }).Single().Realm);
            var negotiate = AuthenticationChallenge.Parse(new[] { "Negotiate YIIB" })[0];
            Assert.Equal("Negotiate", negotiate.Scheme);
            Assert.Empty(negotiate.Parameters);
        }

        [Fact]
        public void AToken68FollowedBySpacesBeforeTheCommaIsStillAToken68()
        {
            var all = AuthenticationChallenge.Parse(new[] { "Negotiate abc== , Basic realm=\"r\"" });
            Assert.Equal(new[] { "Negotiate", "Basic" }, all.Select(c => c.Scheme).ToArray());
            Assert.Empty(all[0].Parameters);
            Assert.Equal("r", all[1].Realm);
        }

        [Fact]
        public void AnUnterminatedQuotedValueEndingInABackslashKeepsTheBackslash()
            => Assert.Equal("abc\\", AuthenticationChallenge.Parse(new[] { "Bearer realm=\"abc\\" }).Single().Realm);

        [Fact]
        public void AControlCharacterEndsAToken()
            => Assert.Equal("ab", AuthenticationChallenge.Parse(new[] { "Bearer realm=ab\u007fcd" })[0].Realm);

        [Fact]
        public void AChallengeMissingItsSchemeTakesItsFirstWordAsTheScheme()
        {
            // What the UnsupportedScheme error then names: the first word the registry sent.
            var all = AuthenticationChallenge.Parse(new[] { "realm=\"https://auth.example/token\"" });
            Assert.Equal("realm", all[0].Scheme);
            Assert.False(all[0].IsBearer);
        }
    }
}
