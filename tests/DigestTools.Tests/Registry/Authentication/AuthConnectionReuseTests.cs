using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
using DigestTools.Engine.Registry.Resilience;
using DigestTools.TestServers;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// Every answer the authentication and redirect handlers drop (a challenge, a refused retry, a redirect, a refused redirect
    /// target) gives its connection back, so the next request of the call is served: the registry chain over the real socket
    /// transport limited to one connection per server, FaultServers answering. A response left undisposed holds its
    /// connection with its unread body, and the next request to that server waits until the hang guard ends it.
    /// Each case runs over the chain RegistryHandlerChain builds and over the two public handlers stacked straight on the
    /// transport: in the chain, RetryHandler has already read every body into memory (which frees the connection) before
    /// RegistryAuthenticationHandler sees the response, so only the second stack shows that handler's own Dispose calls.
    /// </summary>
    public sealed class AuthConnectionReuseTests
    {
        private const string Challenged = "/v2/app/manifests/v1";

        // One connection per server. inChain: RegistryHandlerChain's stack (one attempt per request); otherwise
        // authentication over redirects over the transport. The client's timeout is only a hang guard.
        private static HttpClient OneConnectionClient(RegistryCredential credential, bool inChain)
        {
            var transport = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = 1 };
            var source = new ExplicitCredentialSource(credential);
            HttpMessageHandler handlers = inChain
                ? RegistryHandlerChain.Create(new RegistryClientOptions { Credential = credential }, transport, source, new RetryPolicy { MaxAttempts = 1 })
                : new RegistryAuthenticationHandler(source) { InnerHandler = new SafeRedirectHandler { InnerHandler = transport } };
            return new HttpClient(handlers) { Timeout = TimeSpan.FromSeconds(10) };
        }

        private static RegistryCredential Alice => new RegistryCredential("alice", "pw-of-alice");

        private static FaultServer Server(string bindAddress, params FaultRule[] rules)
        {
            var server = FaultServer.Started(null, bindAddress);
            foreach (var rule in rules) server.Rules.Add(rule);
            return server;
        }

        // A 401 (with a JSON error body, as registries send) carrying this challenge; `times` requests, or every one.
        private static FaultRule[] Challenge(string challenge, int? times = null) => new[]
        {
            new FaultRule { Path = ".", Action = "status", Status = 401, Times = times },
            new FaultRule { Path = ".", Action = "set-header", Header = "WWW-Authenticate", Value = challenge, Times = times },
        };

        private static async Task<FailureException> TwiceTheSameFailure(HttpClient client, string url, Func<HttpRequestMessage> request = null)
        {
            var first = await Assert.ThrowsAsync<FailureException>(() => client.SendAsync(request?.Invoke() ?? new HttpRequestMessage(HttpMethod.Get, url)));
            var second = await Assert.ThrowsAsync<FailureException>(() => client.SendAsync(request?.Invoke() ?? new HttpRequestMessage(HttpMethod.Get, url)));
            Assert.Equal(first.Message, second.Message);
            return second;
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task ABasicChallengeIsAnsweredOverTheOneConnection(bool inChain)
        {
            await using (var registry = Server("127.0.0.1", Challenge("Basic realm=\"r\"", times: 1)))
            using (var client = OneConnectionClient(Alice, inChain))
            {
                using (var response = await client.GetAsync(registry.BaseUri + Challenged.TrimStart('/')))
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(new[] { "401 -", "200 Basic" }, registry.Requests.Select(r => r.Status + " " + (r.AuthorizationScheme ?? "-")));
            }
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task AnUnsupportedSchemeFailsEachRequestOfTheCall(bool inChain)
        {
            await using (var registry = Server("127.0.0.1", Challenge("Negotiate abc==")))
            using (var client = OneConnectionClient(Alice, inChain))
            {
                var e = await TwiceTheSameFailure(client, registry.BaseUri + Challenged.TrimStart('/'));
                Assert.Same(ErrorCatalog.RegistryAuthenticationFailed, e.Kind);
            }
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task RefusedBasicCredentialsFailEachRequestOfTheCall(bool inChain)
        {
            await using (var registry = Server("127.0.0.1", Challenge("Basic realm=\"r\"")))
            using (var client = OneConnectionClient(Alice, inChain))
            {
                var e = await TwiceTheSameFailure(client, registry.BaseUri + Challenged.TrimStart('/'));
                Assert.Equal(registry.Address + " rejected the credentials of user 'alice': HTTP 401. Check the password (-Credential) or run docker login "
                    + registry.Address + " again.", e.Message);
                // The refused password went once per request: the second sent it up front and stopped at the refusal
                // (a second try of a wrong password can lock an account).
                Assert.Equal(new[] { "-", "Basic", "Basic" }, registry.Requests.Select(r => r.AuthorizationScheme ?? "-"));
            }
        }

        [Theory]
        [InlineData(true, "invalid_token", " (invalid_token)")]
        [InlineData(false, "invalid_token", " (invalid_token)")]
        [InlineData(true, null, "")]
        public async Task ATokenTheRegistryRefusesFailsEachRequestNamingTheRegistrysReason(bool inChain, string error, string detail)
        {
            // The realm issues a token; the registry refuses every token, with or without an error code in its challenge.
            await using (var realm = Server("127.0.0.1", new FaultRule { Path = ".", Action = "status", Status = 200, Body = "{\"token\":\"t\"}" }))
            await using (var registry = Server("127.0.0.1", Challenge("Bearer realm=\"" + realm.BaseUri + "token\",service=\"reg\""
                + (error == null ? "" : ",error=\"" + error + "\""))))
            using (var client = OneConnectionClient(Alice, inChain))
            {
                var e = await TwiceTheSameFailure(client, registry.BaseUri + Challenged.TrimStart('/'));
                Assert.Equal(registry.Address + " rejected the credentials of user 'alice': the registry refused the token it issued" + detail
                    + ". Check the password (-Credential) or run docker login " + registry.Address + " again.", e.Message);
            }
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task ARedirectTargetsChallengeIsRefusedForEachRequestAndItsRealmGetsNothing(bool inChain)
        {
            // The registry sends even its first, unauthenticated request elsewhere; that origin challenges with a realm of a
            // third: neither is the registry, so no credential and no token request goes to either.
            await using (var third = Server("127.0.0.3", new FaultRule { Path = ".", Action = "status", Status = 200, Body = "{\"token\":\"t\"}" }))
            await using (var cdn = Server("127.0.0.2", Challenge("Bearer realm=\"" + third.BaseUri + "token\",service=\"cdn\"")))
            await using (var registry = Server("127.0.0.1", new FaultRule { Path = ".", Action = "redirect", Status = 307, Location = cdn.BaseUri + "{path}" }))
            using (var client = OneConnectionClient(Alice, inChain))
            {
                var e = await TwiceTheSameFailure(client, registry.BaseUri + Challenged.TrimStart('/'));
                Assert.Same(ErrorCatalog.RegistryRedirectChallengeRefused, e.Kind);
                Assert.Empty(third.Requests);
                Assert.Equal(2, cdn.Requests.Count(r => !r.HasAuthorization));
                Assert.Equal(2, cdn.Requests.Count);
            }
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task AChallengeFromWhereTheAuthenticatedRetryWasSentIsRefused(bool inChain)
        {
            // The registry's own challenge is answered with a token; the retry that carries it is sent elsewhere, and that
            // origin challenges: its challenge is not the registry's (not a refused token either).
            await using (var realm = Server("127.0.0.1", new FaultRule { Path = ".", Action = "status", Status = 200, Body = "{\"token\":\"t\"}" }))
            await using (var cdn = Server("127.0.0.2", Challenge("Bearer realm=\"" + realm.BaseUri + "token\",service=\"cdn\"")))
            await using (var registry = Server("127.0.0.1", Challenge("Bearer realm=\"" + realm.BaseUri + "token\",service=\"reg\"", times: 1)
                .Append(new FaultRule { Path = ".", IfRequestHeader = "Authorization", Action = "redirect", Status = 307, Location = cdn.BaseUri + "{path}" }).ToArray()))
            using (var client = OneConnectionClient(Alice, inChain))
            {
                var e = await Assert.ThrowsAsync<FailureException>(() => client.GetAsync(registry.BaseUri + Challenged.TrimStart('/')));
                Assert.Same(ErrorCatalog.RegistryRedirectChallengeRefused, e.Kind);
                Assert.Single(realm.Requests);
                Assert.False(Assert.Single(cdn.Requests).HasAuthorization);
            }
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task ARedirectWithABodyOnTheSameOriginIsFollowedOverTheOneConnection(bool inChain)
        {
            await using (var registry = Server("127.0.0.1",
                new FaultRule { Path = "/manifests/old$", Action = "redirect", Status = 302, Location = Challenged, Body = "moved to v1" }))
            using (var client = OneConnectionClient(null, inChain))
            {
                for (int i = 0; i < 2; i++)
                {
                    using (var response = await client.GetAsync(registry.BaseUri + "v2/app/manifests/old"))
                        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }
                Assert.Equal(new[] { "302 /v2/app/manifests/old", "200 " + Challenged, "302 /v2/app/manifests/old", "200 " + Challenged },
                    registry.Requests.Select(r => r.Status + " " + r.Path));
            }
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task EndlessRedirectsWithBodiesFailEachRequestOfTheCall(bool inChain)
        {
            await using (var registry = Server("127.0.0.1", new FaultRule { Path = ".", Action = "redirect", Status = 302, Location = "/{path}-again", Body = "again" }))
            using (var client = OneConnectionClient(null, inChain))
            {
                var e = await TwiceTheSameFailure(client, registry.BaseUri + Challenged.TrimStart('/'));
                Assert.Same(ErrorCatalog.RegistryTooManyRedirects, e.Kind);
                Assert.Equal(2 * (SafeRedirectHandler.MaxRedirects + 1), registry.Requests.Count);
            }
        }

        [Theory]
        [InlineData(true, "GET", "ftp://127.0.0.1/x")]
        [InlineData(true, "POST", "http://127.0.0.2:9/token")]   // a body is not sent again to another origin
        [InlineData(false, "GET", "ftp://127.0.0.1/x")]
        public async Task ARefusedRedirectFailsEachRequestOfTheCall(bool inChain, string method, string location)
        {
            await using (var registry = Server("127.0.0.1", new FaultRule { Path = ".", Action = "redirect", Status = 307, Location = location, Body = "elsewhere" }))
            using (var client = OneConnectionClient(null, inChain))
            {
                var e = await TwiceTheSameFailure(client, null, () => new HttpRequestMessage(new HttpMethod(method), registry.BaseUri + "token")
                {
                    Content = method == "POST" ? new StringContent("grant_type=refresh_token") : null,
                });
                Assert.Same(ErrorCatalog.RegistryInsecureRedirect, e.Kind);
                Assert.Equal(2, registry.Requests.Count);
            }
        }

        [Fact]
        public async Task DisposingTheClientClosesItsConnections()
        {
            await using (var registry = Server("127.0.0.1", Challenge("Basic realm=\"r\"", times: 1)))
            {
                var client = OneConnectionClient(Alice, inChain: true);
                using (var response = await client.GetAsync(registry.BaseUri + Challenged.TrimStart('/')))
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(1, registry.OpenConnections);   // kept alive for the next request
                client.Dispose();
                // The server notices the close as soon as it reads the end of the stream; the bound is a hang guard.
                Assert.Equal(0, await registry.WhenNoConnectionIsOpenAsync(TimeSpan.FromSeconds(10)));
            }
        }
    }
}
