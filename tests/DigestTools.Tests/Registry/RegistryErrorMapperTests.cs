using System.Net;
using System.Text;
using DigestTools.Engine.Registry;
using Xunit;
using DigestTools.Engine.Errors;

namespace DigestTools.Tests
{
    public sealed class RegistryErrorMapperTests
    {
        private static byte[] Body(string code, string message = "registry says so")
            => Encoding.UTF8.GetBytes("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"detail\":{\"Tag\":\"x\"}}]}");

        [Theory]
        [InlineData("MANIFEST_UNKNOWN", 404, "ManifestUnknown", "ObjectNotFound")]
        [InlineData("NAME_UNKNOWN", 404, "NameUnknown", "ObjectNotFound")]
        [InlineData("UNAUTHORIZED", 401, "Unauthorized", "AuthenticationError")]
        [InlineData("DENIED", 403, "Denied", "PermissionDenied")]
        [InlineData("TOOMANYREQUESTS", 429, "TooManyRequests", "LimitsExceeded")]
        [InlineData("NAME_INVALID", 400, "NameInvalid", "InvalidArgument")]
        [InlineData("TAG_INVALID", 400, "TagInvalid", "InvalidArgument")]
        [InlineData("DIGEST_INVALID", 400, "DigestInvalid", "InvalidArgument")]
        [InlineData("MANIFEST_INVALID", 400, "ManifestInvalid", "InvalidData")]
        [InlineData("UNSUPPORTED", 405, "Unsupported", "NotImplemented")]
        [InlineData("manifest_unknown", 404, "ManifestUnknown", "ObjectNotFound")]
        [InlineData("BLOB_UNKNOWN", 404, "BlobUnknown", "ObjectNotFound")]
        [InlineData("MANIFEST_BLOB_UNKNOWN", 404, "ManifestBlobUnknown", "ObjectNotFound")]
        public void TheBodysCodeDecides(string code, int status, string errorId, string category)
        {
            FailureException e = RegistryErrorMapper.Map((HttpStatusCode)status, Body(code), "127.0.0.1:5000/a/b:1", "127.0.0.1:5000");
            Assert.Equal(errorId, e.ErrorId);
            Assert.Equal(category, e.Category.ToString());
            Assert.Contains("127.0.0.1:5000/a/b:1", e.Message);
            Assert.Contains("registry says so", e.Message);
            Assert.Contains("HTTP " + status, e.Message);
        }

        [Theory]
        [InlineData(404, "ManifestUnknown", "ObjectNotFound")]
        [InlineData(401, "Unauthorized", "AuthenticationError")]
        [InlineData(403, "Denied", "PermissionDenied")]
        [InlineData(429, "TooManyRequests", "LimitsExceeded")]
        [InlineData(500, "RegistryServerError", "ResourceUnavailable")]
        [InlineData(503, "RegistryServerError", "ResourceUnavailable")]
        [InlineData(400, "RegistryProtocolError", "ProtocolError")]
        [InlineData(418, "RegistryProtocolError", "ProtocolError")]
        public void WithoutACodeTheStatusDecides(int status, string errorId, string category)
        {
            foreach (byte[] body in new[] { null, new byte[0], Encoding.UTF8.GetBytes("<html>oops</html>"), Encoding.UTF8.GetBytes("{\"errors\":[]}"), Encoding.UTF8.GetBytes("{\"errors\":\"x\"}") })
            {
                FailureException e = RegistryErrorMapper.Map((HttpStatusCode)status, body, "r/a:1", "r");
                Assert.Equal(errorId, e.ErrorId);
                Assert.Equal(category, e.Category.ToString());
            }
        }

        [Fact]
        public void AnUnknownCodeFallsBackToTheStatusButIsQuoted()
        {
            FailureException e = RegistryErrorMapper.Map(HttpStatusCode.NotFound, Body("SOMETHING_NEW"), "r/a:1", "r");
            Assert.Equal("ManifestUnknown", e.ErrorId);
            Assert.Contains("SOMETHING_NEW", e.Message);
        }

        [Fact]
        public void ALongOrControlCharacterMessageIsTamed()
        {
            FailureException e = RegistryErrorMapper.Map(HttpStatusCode.NotFound, Body("MANIFEST_UNKNOWN", new string('x', 5000) + "\\u001b[31m"), "r/a:1", "r");
            Assert.True(e.Message.Length < 400, e.Message);
            Assert.DoesNotContain('\u001b', e.Message);
        }

        [Fact]
        public void TheMessageNamesTheReferenceQuotesTheRegistryAndGivesCodeAndStatus()
        {
            FailureException e = RegistryErrorMapper.Map(HttpStatusCode.NotFound, Body("MANIFEST_UNKNOWN", "manifest unknown"), "r/a:1", "r:5000");
            Assert.Equal("r/a:1: manifest unknown (registry r:5000 answered MANIFEST_UNKNOWN, HTTP 404).", e.Message);
        }

        [Fact]
        public void WithoutAMessageTheErrorIdIsSaidAndWithoutACodeOnlyTheStatus()
        {
            FailureException e = RegistryErrorMapper.Map(HttpStatusCode.ServiceUnavailable, null, "r/a:1", "r");
            Assert.Equal("r/a:1: RegistryServerError (registry r answered HTTP 503).", e.Message);
        }

        [Fact]
        public void AMessageOfTwoHundredCharactersIsKeptWholeAndALongerOneIsCutThere()
        {
            string exact = new string('x', 200);
            RegistryErrorMapper.ReadFirstError(Body("DENIED", exact), out _, out string kept);
            Assert.Equal(exact, kept);
            RegistryErrorMapper.ReadFirstError(Body("DENIED", exact + "yz"), out _, out string cut);
            Assert.Equal(exact + "…", cut);
        }

        [Fact]
        public void ControlCharactersInTheMessageBecomeSpaces()
        {
            RegistryErrorMapper.ReadFirstError(Body("DENIED", "no\\u0007access\\ttoday"), out string code, out string message);
            Assert.Equal("DENIED", code);
            Assert.Equal("no access today", message);
        }

        [Theory]
        [InlineData("[{\"code\":\"DENIED\",\"message\":\"m\"}]")]                 // not an object
        [InlineData("{\"errors\":[\"DENIED\"]}")]                                    // an entry that is not an object
        [InlineData("{\"errs\":[{\"code\":\"DENIED\",\"message\":\"m\"}]}")]     // no errors member
        public void ABodyOfAnotherShapeGivesNeitherCodeNorMessage(string json)
        {
            RegistryErrorMapper.ReadFirstError(Encoding.UTF8.GetBytes(json), out string code, out string message);
            Assert.Null(code);
            Assert.Null(message);
        }

        [Fact]
        public void ACodeOrMessageThatIsNotAStringIsIgnoredAndTheOtherKept()
        {
            RegistryErrorMapper.ReadFirstError(Encoding.UTF8.GetBytes("{\"errors\":[{\"code\":7,\"message\":\"m\"}]}"), out string code, out string message);
            Assert.Null(code);
            Assert.Equal("m", message);
            RegistryErrorMapper.ReadFirstError(Encoding.UTF8.GetBytes("{\"errors\":[{\"code\":\"DENIED\",\"message\":{}}]}"), out code, out message);
            Assert.Equal("DENIED", code);
            Assert.Null(message);
        }

        [Fact]
        public void TheCallsSecretsAreMaskedInTheRegistrysWords()
        {
            var secrets = new DigestTools.Engine.Registry.Authentication.SecretRedactor();
            secrets.Add("hunter2-secret");
            FailureException e = RegistryErrorMapper.Map(HttpStatusCode.Unauthorized, Body("UNAUTHORIZED", "bad password hunter2-secret"), "r/a:1", "r", secrets);
            Assert.Equal("r/a:1: bad password [redacted] (registry r answered UNAUTHORIZED, HTTP 401).", e.Message);
        }
    }
}
