using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
using DigestTools.Tests.Support;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// RegistryAuthenticationHandler against challenges the test registries do not send (AuthBasicTests and AuthTokenTests run
    /// the real Basic and Bearer flows): a scheme it cannot answer, a 401 without any challenge, a Basic challenge met by an
    /// identity token.
    /// </summary>
    public sealed class AuthChallengeAnswerRulesTests
    {
        private const string Url = "http://reg.example:5000/v2/app/manifests/v1";
        private readonly List<HttpRequestMessage> _sent = new List<HttpRequestMessage>();

        private Task<HttpResponseMessage> Send(RegistryCredential credential, params string[] challenges)
        {
            var handler = new RegistryAuthenticationHandler(new ExplicitCredentialSource(credential))
            {
                InnerHandler = new ScriptedHandler(r =>
                {
                    _sent.Add(r);
                    var response = new HttpResponseMessage(HttpStatusCode.Unauthorized) { RequestMessage = r };
                    foreach (string challenge in challenges) response.Headers.TryAddWithoutValidation("WWW-Authenticate", challenge);
                    return response;
                }),
            };
            return new HttpMessageInvoker(handler).SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), CancellationToken.None);
        }

        [Fact]
        public async Task AChallengeOfAnotherSchemeOnlyIsAnErrorNamingIt()
        {
            var e = await Assert.ThrowsAsync<FailureException>(() => Send(new RegistryCredential("alice", "pw"), "Negotiate abc==", "NTLM"));
            Assert.Same(ErrorCatalog.RegistryAuthenticationFailed, e.Kind);
            Assert.Equal("reg.example:5000 asks for the unsupported authentication scheme 'Negotiate' (only Basic and Bearer are supported).", e.Message);
            Assert.Single(_sent);
        }

        [Fact]
        public async Task A401WithoutAnyChallengeIsHandedOnForItsErrorBody()
        {
            using (var response = await Send(new RegistryCredential("alice", "pw")))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }
            Assert.Single(_sent);
        }

        [Fact]
        public async Task AnIdentityTokenCannotAnswerABasicChallenge()
        {
            var e = await Assert.ThrowsAsync<FailureException>(() => Send(new RegistryCredential("alice", null, "id-token"), "Basic realm=\"r\""));
            Assert.Same(ErrorCatalog.RegistryAuthenticationFailed, e.Kind);
            Assert.Equal("reg.example:5000 requires authentication and no credentials were found for it (an identity token cannot answer a Basic challenge)."
                + " Pass -Credential, or run docker login reg.example:5000.", e.Message);
            Assert.Single(_sent);
        }

        [Fact]
        public void ACredentialSourceIsRequired()
            => Assert.Equal("credentials", Assert.Throws<ArgumentNullException>(() => new RegistryAuthenticationHandler(null)).ParamName);
    }
}
