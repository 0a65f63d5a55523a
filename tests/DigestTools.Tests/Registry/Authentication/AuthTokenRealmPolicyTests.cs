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
        [Theory]
        [InlineData("https://registry.example", "https://registry.example/token")]
        [InlineData("http://127.0.0.1:5000", "https://auth.example/token?service=x")]
        [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5080/token")]
        [InlineData("http://localhost:5000", "http://localhost:5080/token")]
        [InlineData("http://localhost:5000", "http://localhost/token")]
        [InlineData("http://[::1]:5000", "http://127.0.0.1:5080/token")]
        [InlineData("https://registry.example", "http://[::1]:5080/token")]           // the realm is on this machine
        [InlineData("http://127.0.0.1:5000", "http://10.1.2.3:5080/token")]           // listed insecure below
        public void AcceptedTokenRealms(string registry, string realm)
            => Assert.Equal(new Uri(realm), TokenRealmPolicy.Validate(realm, new Uri(registry), new[] { "http://10.1.2.3:5080/" }));

        [Theory]
        [InlineData("https://registry.example", "http://registry.example/token", "http://registry.example")]   // https registry, http realm
        [InlineData("http://10.1.2.4:5000", "http://10.1.2.4:5080/token", "http://10.1.2.4:5080")]           // plain http but not loopback
        [InlineData("http://127.0.0.1:5000", "http://192.0.2.10/token", "http://192.0.2.10")]               // a loopback registry naming a remote http realm
        [InlineData("http://127.0.0.1:5000", "http://10.1.2.3:5081/token", "http://10.1.2.3:5081")]         // listed with another port
        [InlineData("http://127.0.0.1:5000", "ftp://127.0.0.1/token", "ftp://127.0.0.1")]                   // not http(s)
        public void APlainRealmAcrossTheNetworkIsRefusedBeforeAnythingIsSent(string registry, string realm, string shown)
        {
            var e = Assert.Throws<FailureException>(() => TokenRealmPolicy.Validate(realm, new Uri(registry), new[] { "10.1.2.3:5080" }));
            Assert.Equal("RegistryTokenRealmRefused", e.ErrorId);
            Assert.Equal(FailureCategory.SecurityError, e.Category);
            Assert.Equal(HostNames.Authority(new Uri(registry)) + ": refusing the token realm " + shown + ": a token realm must use https"
                + " (plain http only on loopback or for a host listed with -InsecureRegistry); nothing was sent to it.", e.Message);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("token")]
        [InlineData("auth.example/token")]
        public void AChallengeWithoutAnAbsoluteRealmIsRefused(string realm)
        {
            var e = Assert.Throws<FailureException>(() => TokenRealmPolicy.Validate(realm, new Uri("https://reg.example:5000/v2/"), null));
            Assert.Same(ErrorCatalog.RegistryTokenRealmRefused, e.Kind);
            Assert.Equal("reg.example:5000: the Bearer challenge has no valid absolute token realm.", e.Message);
        }
    }
}
