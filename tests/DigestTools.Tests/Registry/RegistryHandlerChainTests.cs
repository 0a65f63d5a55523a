using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
using DigestTools.Engine.Registry.Resilience;
using DigestTools.TestServers;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// What RegistryHandlerChain itself decides: the socket handler's settings, the redirect switch it turns off on a
    /// handler it is given, the secret it registers, and that a caller's credential source and retry policy are the ones
    /// used (FaultServers answering).
    /// </summary>
    public sealed class RegistryHandlerChainTests
    {
        [Fact]
        public void TheSocketHandlerFollowsNoRedirectKeepsNoCookiesAndDecompressesNothing()
        {
            using (HttpClientHandler transport = RegistryHandlerChain.CreateTransportHandler())
            {
                Assert.False(transport.AllowAutoRedirect);   // SafeRedirectHandler decides each hop
                Assert.False(transport.UseCookies);          // a registry's cookie is never sent back to it, or anywhere
                Assert.Equal(DecompressionMethods.None, transport.AutomaticDecompression);   // digests are over the bytes sent
                Assert.Equal(RegistryHandlerChain.MaxConnectionsPerServer, transport.MaxConnectionsPerServer);
            }
        }

        [Fact]
        public void AGivenHandlerThatFollowsRedirectsIsTurnedOff()
        {
            var transport = new HttpClientHandler();
            Assert.True(transport.AllowAutoRedirect);
            using (RegistryHandlerChain.Create(new RegistryClientOptions(), transport))
                Assert.False(transport.AllowAutoRedirect);
        }

        [Fact]
        public void TheCredentialsPasswordIsHiddenFromEveryVerboseLine()
        {
            var lines = new List<string>();
            var options = new RegistryClientOptions { Credential = new RegistryCredential("alice", "pw-of-alice"), Log = lines.Add };
            using (RegistryHandlerChain.Create(options, new HttpClientHandler()))
                options.RedactedLog("the registry said: bad password pw-of-alice");
            Assert.Equal(new[] { "the registry said: bad password " + SecretRedactor.Mask }, lines);
        }

        [Fact]
        public async Task TheCallersCredentialSourceAnswersAChallenge()
        {
            await using (var registry = FaultServer.Started(null))
            {
                registry.Rules.Add(new FaultRule { Path = ".", Action = "status", Status = 401, Times = 1 });
                registry.Rules.Add(new FaultRule { Path = ".", Action = "set-header", Header = "WWW-Authenticate", Value = "Basic realm=\"r\"", Times = 1 });
                // No -Credential in the options: only the source given can answer.
                var source = new ExplicitCredentialSource(new RegistryCredential("alice", "pw-of-alice"));
                using (var client = new HttpClient(RegistryHandlerChain.Create(new RegistryClientOptions(), new HttpClientHandler(), source)))
                using (HttpResponseMessage response = await client.GetAsync(registry.BaseUri + "v2/app/manifests/v1"))
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(new[] { "401 -", "200 Basic" }, registry.Requests.Select(r => r.Status + " " + (r.AuthorizationScheme ?? "-")));
            }
        }

        [Fact]
        public async Task TheCallersRetryPolicyIsTheOneUsed()
        {
            await using (var registry = FaultServer.Started(null))
            {
                registry.Rules.Add(new FaultRule { Path = ".", Action = "status", Status = 503 });
                var oneAttempt = new RetryPolicy { MaxAttempts = 1 };
                using (var client = new HttpClient(RegistryHandlerChain.Create(new RegistryClientOptions(), new HttpClientHandler(), new ExplicitCredentialSource(null), oneAttempt)))
                using (HttpResponseMessage response = await client.GetAsync(registry.BaseUri + "v2/app/manifests/v1"))
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.Single(registry.Requests);
            }
        }
    }
}
