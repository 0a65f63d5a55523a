using System;
using System.Linq;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>Host spellings, secret masking and challenge parsing: the pure rules the authentication layer stands on.</summary>
    public sealed class AuthHostNamesTests
    {
        [Theory]
        [InlineData("Reg.Example:5000", "reg.example:5000")]
        [InlineData(" https://reg.example:5000/v1/ ", "reg.example:5000")]
        [InlineData("http://reg.example", "reg.example")]
        [InlineData("reg.example/some/path", "reg.example")]
        [InlineData("://Reg.example/", "reg.example")]
        [InlineData("/v1/", "")]
        [InlineData("", "")]
        [InlineData(null, "")]
        public void NormalizeKeepsLowercaseHostAndPortOnly(string key, string expected)
            => Assert.Equal(expected, HostNames.Normalize(key));

        [Theory]
        [InlineData("reg.example:5000", "https://REG.example:5000/v1/", true)]
        [InlineData("docker.io", "https://index.docker.io/v1/", true)]
        [InlineData("registry-1.docker.io", "registry.hub.docker.com", true)]
        [InlineData("docker.io", "reg.example", false)]
        [InlineData("reg.example", "docker.io", false)]
        [InlineData("reg.example:5000", "reg.example", false)]
        public void SameRegistryIgnoresSpellingButNotHostOrPort(string a, string b, bool same)
            => Assert.Equal(same, HostNames.SameRegistry(a, b));

        [Theory]
        [InlineData("quay.io", "quay.io")]
        [InlineData("index.docker.io", "https://index.docker.io/v1/")]
        public void ServerAddressIsTheHubUrlOnlyForTheHub(string registry, string expected)
            => Assert.Equal(expected, HostNames.ServerAddress(registry));

        [Theory]
        [InlineData("[::1]:5000", "::1")]
        [InlineData("[::1", "[::1")]
        [InlineData("127.0.0.1:5000", "127.0.0.1")]
        [InlineData("::1", "::1")]
        [InlineData("example.com", "example.com")]
        [InlineData(":5000", "")]
        public void HostOnlyDropsThePort(string authority, string host)
            => Assert.Equal(host, HostNames.HostOnly(authority));

        [Theory]
        [InlineData("localhost:5000", true)]
        [InlineData("LOCALHOST", true)]
        [InlineData("127.1.2.3:80", true)]
        [InlineData("[::1]:5000", true)]
        [InlineData("10.0.0.1:5000", false)]
        [InlineData("localhost.example.com", false)]
        public void LoopbackIsLocalhostOrALoopbackAddress(string authority, bool loopback)
            => Assert.Equal(loopback, HostNames.IsLoopback(authority));

        [Theory]
        [InlineData("10.1.2.3:5000", "10.1.2.3:5000", true)]
        [InlineData("10.1.2.3:5000", "HTTP://10.1.2.3:5000/", true)]
        [InlineData("10.1.2.3:5000", "https://10.1.2.3:5000", true)]
        [InlineData("10.1.2.3:5000", " 10.1.2.3:5000 ", true)]
        [InlineData("10.1.2.3:5000", "10.1.2.3", false)]
        [InlineData("10.1.2.3:5000", "10.1.2.3:50001", false)]
        [InlineData("10.1.2.3:5000", "ftp://10.1.2.3:5000", false)]
        [InlineData("", "", false)]
        public void AnInsecureEntryNamesOneHostAndPortExactly(string authority, string entry, bool listed)
            => Assert.Equal(listed, HostNames.IsListedInsecure(authority, new[] { "  ", entry }));

        [Fact]
        public void ANullEntryInTheInsecureListIsSkipped()
            => Assert.True(HostNames.IsListedInsecure("10.1.2.3:5000", new[] { null, "10.1.2.3:5000" }));

        [Theory]
        [InlineData("http://reg.example:5000/v2/", "reg.example:5000")]
        [InlineData("https://reg.example:5000/v2/", "reg.example:5000")]
        [InlineData("https://reg.example/v2/", "reg.example")]
        [InlineData("http://reg.example:80/v2/", "reg.example")]
        [InlineData("https://reg.example:80/v2/", "reg.example:80")]
        public void AuthorityShowsThePortOnlyWhenItIsNotTheSchemesDefault(string uri, string authority)
            => Assert.Equal(authority, HostNames.Authority(new Uri(uri)));

        [Fact]
        public void NoInsecureListListsNothing()
            => Assert.False(HostNames.IsListedInsecure("10.1.2.3:5000", null));

        [Theory]
        [InlineData("https://reg.example/v2/", "https://REG.example:443/x", true)]
        [InlineData("https://reg.example/v2/", "http://reg.example/v2/", false)]
        [InlineData("https://reg.example/v2/", "https://reg.example:8443/v2/", false)]
        public void SameOriginIsSchemeHostAndPort(string a, string b, bool same)
            => Assert.Equal(same, HostNames.SameOrigin(new Uri(a), new Uri(b)));

        [Fact]
        public void TheRedactorMasksPasswordBasicFormIdentityTokenAndTheirUrlForms()
        {
            var secrets = new SecretRedactor();
            secrets.Add(new RegistryCredential("alice", "p@ss word"));
            secrets.Add(new RegistryCredential(null, null, "id/token+1"));
            secrets.Add((RegistryCredential)null);
            secrets.Add((string)null);
            string basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("alice:p@ss word"));
            string text = "a p@ss word b " + Uri.EscapeDataString("p@ss word") + " c " + basic + " d id/token+1 e " + Uri.EscapeDataString("id/token+1");
            Assert.True(secrets.Reveals(text));
            Assert.Equal("a [redacted] b [redacted] c [redacted] d [redacted] e [redacted]", secrets.Redact(text));
            Assert.False(secrets.Reveals("alice"));
            Assert.False(secrets.Reveals(null));
            Assert.Equal("alice", secrets.Redact("alice"));
        }

        [Fact]
        public void ATextHoldingOnlyOneSecretOfSeveralIsRedactedEvenAtItsStart()
        {
            var secrets = new SecretRedactor();
            secrets.Add("hunter2");
            secrets.Add("s3cr3t-token");
            Assert.True(secrets.Reveals("hunter2 was echoed"));
            Assert.Equal("[redacted] was echoed", secrets.Redact("hunter2 was echoed"));
            Assert.Equal("Bearer [redacted]", secrets.Redact("Bearer s3cr3t-token"));
        }

        [Fact]
        public void AnIdentityTokenCredentialMasksNoBasicFormOfItsUserName()
        {
            var secrets = new SecretRedactor();
            secrets.Add(new RegistryCredential("alice", null, "id-token-1"));
            string userOnly = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("alice:"));
            Assert.Equal("user " + userOnly + " token [redacted]", secrets.Redact("user " + userOnly + " token id-token-1"));
        }

        [Fact]
        public void ASecretContainingAnotherIsMaskedWhole()
        {
            var secrets = new SecretRedactor();
            secrets.Add("abc");
            secrets.Add("xabcx");
            secrets.Add("abc");
            Assert.Equal("[redacted] [redacted]", secrets.Redact("xabcx abc"));
        }

        [Fact]
        public void ARedactedExceptionKeepsItsKindAndAnUnrevealingOneIsKeptAsIs()
        {
            var secrets = new SecretRedactor();
            secrets.Add("hunter2");
            var plain = new FailureException(ErrorCatalog.Denied, "no secret here");
            Assert.Same(plain, secrets.Redact(plain));
            FailureException masked = secrets.Redact(new FailureException(ErrorCatalog.Denied, "echo hunter2", new InvalidOperationException("hunter2")));
            Assert.Same(ErrorCatalog.Denied, masked.Kind);
            Assert.Equal("echo [redacted]", masked.Message);
            Assert.Null(masked.InnerException);
        }

        [Fact]
        public void ChallengeParametersMaySurroundEqualsWithSpacesAndTabs()
        {
            var c = AuthenticationChallenge.Parse(new[] { "Bearer realm = \"https://h/t\",\tservice=\treg , scope=\"repository:a:pull\"" }).Single();
            Assert.Equal("https://h/t", c.Realm);
            Assert.Equal("reg", c.Service);
            Assert.Equal("repository:a:pull", c.Scope);
            Assert.Equal("Bearer realm=https://h/t service=reg scope=repository:a:pull", c.ToString());
        }

        [Fact]
        public void AToken68IsNotAParameterAndTheNextChallengeFollowsIt()
        {
            var all = AuthenticationChallenge.Parse(new[] { "Negotiate abc==, Basic realm=\"r\"" });
            Assert.Equal(new[] { "Negotiate", "Basic" }, all.Select(c => c.Scheme).ToArray());
            Assert.Empty(all[0].Parameters);
            Assert.Equal("r", all[1].Realm);
            Assert.True(all[1].IsBasic);
            Assert.False(all[1].IsBearer);
        }

        [Fact]
        public void StrayCharactersAndEmptyHeaderValuesAreSkipped()
        {
            var all = AuthenticationChallenge.Parse(new[] { "Basic realm=\"r\", \u00e9 Bearer service=s", null, " " });
            Assert.Equal(new[] { "Basic", "Bearer" }, all.Select(c => c.Scheme).ToArray());
            Assert.Equal("s", all[1].Service);
            Assert.Null(all[1].Error);
            Assert.Empty(AuthenticationChallenge.Parse(null));
        }
    }
}
