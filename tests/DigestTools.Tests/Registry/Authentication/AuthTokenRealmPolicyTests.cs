using System;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Registry.Authentication;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// Where a Bearer challenge may send the password: an https realm always, a plain-http realm only on loopback or on
    /// a host the user listed as insecure; anything else is refused, with a sentence that says why and that nothing was sent.
    /// </summary>
    public sealed class AuthTokenRealmPolicyTests
    {
        private static readonly Uri Registry = new Uri("http://127.0.0.1:5000/v2/app/manifests/latest");

        [Theory]
        [InlineData("https://auth.example/token?x=1")]
        [InlineData("http://127.0.0.1:5001/token")]
        [InlineData("http://localhost/token")]
        [InlineData("http://[::1]:5001/token")]
        public void AnHttpsOrLoopbackRealmIsAccepted(string realm)
            => Assert.Equal(new Uri(realm), TokenRealmPolicy.Validate(realm, Registry, null));

        [Fact]
        public void APlainHttpRealmOnAListedHostIsAccepted()
            => Assert.Equal(new Uri("http://10.1.2.3:5001/token"),
                TokenRealmPolicy.Validate("http://10.1.2.3:5001/token", Registry, new[] { "10.1.2.3:5001" }));

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("auth.example/token")]
        public void AChallengeWithoutAnAbsoluteRealmIsRefused(string realm)
        {
            var e = Assert.Throws<FailureException>(() => TokenRealmPolicy.Validate(realm, new Uri("https://reg.example/v2/"), null));
            Assert.Same(ErrorCatalog.RegistryTokenRealmRefused, e.Kind);
            Assert.Equal("reg.example: the Bearer challenge has no valid absolute token realm.", e.Message);
        }

        [Theory]
        [InlineData("http://auth.example/token", null, "http://auth.example")]
        [InlineData("http://10.1.2.3:5001/token", "10.1.2.3", "http://10.1.2.3:5001")]       // listed without its port: another authority
        [InlineData("ftp://127.0.0.1/token", null, "ftp://127.0.0.1")]                     // loopback, but not http
        public void APlainRealmAcrossTheNetworkIsRefusedBeforeAnythingIsSent(string realm, string listed, string shown)
        {
            var e = Assert.Throws<FailureException>(() => TokenRealmPolicy.Validate(realm, Registry, listed == null ? null : new[] { listed }));
            Assert.Same(ErrorCatalog.RegistryTokenRealmRefused, e.Kind);
            Assert.Equal("127.0.0.1:5000: refusing the token realm " + shown + ": a token realm must use https (plain http only on loopback"
                + " or for a host listed with -InsecureRegistry); nothing was sent to it.", e.Message);
        }
    }
}
