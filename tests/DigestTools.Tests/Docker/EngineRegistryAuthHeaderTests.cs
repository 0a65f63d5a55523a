using System.Text.Json;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Registry;
using Xunit;

namespace DigestTools.Tests
{
    public sealed class EngineRegistryAuthHeaderTests
    {
        [Fact]
        public void EncodesUsernamePasswordAndServerAsBase64UrlJson()
        {
            string header = RegistryAuthHeader.Encode(new RegistryCredential("puller", "S3cret"), "127.0.0.1:5000");
            using (JsonDocument doc = JsonDocument.Parse(RegistryAuthHeader.DecodeToJson(header)))
            {
                Assert.Equal("puller", doc.RootElement.GetProperty("username").GetString());
                Assert.Equal("S3cret", doc.RootElement.GetProperty("password").GetString());
                Assert.Equal("127.0.0.1:5000", doc.RootElement.GetProperty("serveraddress").GetString());
            }
        }

        [Fact]
        public void UsesTheUrlAlphabetTheDaemonDecodesWith()
        {
            bool standardWouldDiffer = false;
            foreach (string password in new[] { "??>>~~~", "a?b>c~d", "\u00ff\u00fe\u00fd", "~~~~", "}}}}???" })
            {
                string header = RegistryAuthHeader.Encode(new RegistryCredential("u", password), "r");
                Assert.DoesNotContain("+", header);
                Assert.DoesNotContain("/", header);
                string json = RegistryAuthHeader.DecodeToJson(header);
                string standard = System.Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json));
                standardWouldDiffer |= standard.Contains("+") || standard.Contains("/");
                using (JsonDocument doc = JsonDocument.Parse(json))
                    Assert.Equal(password, doc.RootElement.GetProperty("password").GetString());
            }
            Assert.True(standardWouldDiffer, "no sample exercised the '+' or '/' characters of standard base64");
        }

        [Fact]
        public void SendsAnIdentityTokenInsteadOfAPassword()
        {
            string json = RegistryAuthHeader.DecodeToJson(RegistryAuthHeader.Encode(new RegistryCredential("<token>", null, "refresh"), "r"));
            using (JsonDocument doc = JsonDocument.Parse(json))
            {
                Assert.Equal("refresh", doc.RootElement.GetProperty("identitytoken").GetString());
                Assert.False(doc.RootElement.TryGetProperty("password", out _));
            }
        }
    
        [Fact]
        public void AMissingUserOrPasswordIsSentEmptyAndNoCredentialIsRefused()
        {
            using (JsonDocument doc = JsonDocument.Parse(RegistryAuthHeader.DecodeToJson(RegistryAuthHeader.Encode(new RegistryCredential(null, null), ""))))
            {
                Assert.Equal("", doc.RootElement.GetProperty("username").GetString());
                Assert.Equal("", doc.RootElement.GetProperty("password").GetString());
                Assert.False(doc.RootElement.TryGetProperty("serveraddress", out _));
            }
            Assert.Equal("credential", Assert.Throws<System.ArgumentNullException>(() => RegistryAuthHeader.Encode(null, "r")).ParamName);
        }
    }
}
