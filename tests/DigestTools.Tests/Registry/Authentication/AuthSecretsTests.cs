using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
using DigestTools.Tests.Support;
using Xunit;
using DigestTools.TestServers;

namespace DigestTools.Tests
{
    /// <summary>
    /// Every auth path with every text it produces captured (log, warnings, exception ToString, response
    /// ToString), searched for the passwords, their base64 forms, the identity token and every issued token.
    /// </summary>
    [Collection(AuthRegistriesCollection.Name)]
    public sealed class AuthSecretsTests : AuthRegistriesTests
    {
        public AuthSecretsTests(AuthRegistriesFixture fixture) : base(fixture) { }

        private async Task Run(RegistryCalls calls, string authority, string repository)
        {
            try
            {
                using (var response = await calls.ManifestAsync(authority, repository, "v1"))
                {
                    calls.Capture(response.ToString());
                }
            }
            catch (Exception e)
            {
                calls.Capture(e.ToString());
                calls.Capture(e.Message);
            }
        }

        [Fact]
        public async Task NoSecretAppearsInAnyCapturedText()
        {
            string refresh = "refresh-" + Guid.NewGuid().ToString("N");
            string wrong = "wrongpw-" + Guid.NewGuid().ToString("N");
            _f.Tokens.AddRefreshToken(refresh, AuthRegistriesFixture.User);
            _f.Tokens.ExpiredTokensToIssue = 0;
            var captured = new List<string>();
            var alice = new RegistryCredential(AuthRegistriesFixture.User, _f.Password);
            var wrongAlice = new RegistryCredential(AuthRegistriesFixture.User, wrong);
            var bob = new RegistryCredential(AuthRegistriesFixture.LimitedUser, _f.LimitedPassword);
            string identityConfig = CredentialHelperScripts.WriteConfig("{\"auths\":{\"" + _f.Token.Address + "\":{\"identitytoken\":\"" + refresh + "\"}}}");
            string basicConfig = CredentialHelperScripts.WriteConfig("{\"auths\":{\"" + _f.Basic.Address + "\":{\"auth\":\"" + CredentialHelperScripts.Base64("alice:" + _f.Password) + "\"}}}");

            var scenarios = new List<(Func<RegistryCalls> Calls, string Authority, string Repository)>
            {
                (() => new RegistryCalls(alice), _f.Basic.Address, "fixtures/alpha"),
                (() => new RegistryCalls(wrongAlice), _f.Basic.Address, "fixtures/alpha"),
                (() => new RegistryCalls(source: new DockerCredentialStore(basicConfig)), _f.Basic.Address, "fixtures/alpha"),
                (() => new RegistryCalls(alice), _f.Token.Address, "private/beta"),
                (() => new RegistryCalls(wrongAlice), _f.Token.Address, "private/beta"),
                (() => new RegistryCalls(bob), _f.Token.Address, "private/beta"),
                (() => new RegistryCalls(source: new DockerCredentialStore(identityConfig)), _f.Token.Address, "private/beta"),
            };
            foreach (var scenario in scenarios)
            {
                using (var calls = scenario.Calls())
                {
                    await Run(calls, scenario.Authority, scenario.Repository);
                    await Run(calls, scenario.Authority, scenario.Repository);   // the cached / up-front path too
                    calls.Capture(calls.Options.Credential?.ToString());
                    captured.AddRange(calls.Captured.Where(t => t != null));
                }
            }
            // The token expiry and refresh path.
            _f.Tokens.ExpiredTokensToIssue = 1;
            using (var calls = new RegistryCalls(alice))
            {
                await Run(calls, _f.Token.Address, "fixtures/alpha");
                await Run(calls, _f.Token.Address, "other/gamma");
                captured.AddRange(calls.Captured.Where(t => t != null));
            }

            string text = string.Join("\n", captured);
            Assert.Contains("alice", text);                        // the capture really holds the auth story
            Assert.Contains("Requesting a token", text);
            var secrets = new List<string> { _f.Password, _f.LimitedPassword, wrong, refresh,
                Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + _f.Password)),
                Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + wrong)),
                Convert.ToBase64String(Encoding.UTF8.GetBytes("bob:" + _f.LimitedPassword)) };
            var tokens = _f.Tokens.IssuedTokens;
            Assert.NotEmpty(tokens);
            secrets.AddRange(tokens.Select(t => t.Split('.')[2]));    // the signature part identifies a token
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text);
            }
        }

        [Theory]
        [InlineData("basic", 403)]
        [InlineData("basic", 404)]
        [InlineData("basic", 500)]
        [InlineData("basic", 401)]    // a 401 without a challenge: the error body speaks
        [InlineData("token", 403)]
        [InlineData("token", 404)]
        public async Task RegistryErrorTextThatEchoesTheAuthorizationHeaderIsRedacted(string kind, int status)
        {
            string upstream = kind == "basic" ? _f.Basic.Address : _f.Token.Address;
            _f.Tokens.ExpiredTokensToIssue = 0;
            int issuedBefore = _f.Tokens.IssuedTokens.Count;
            // A careless registry: once a manifest request carries credentials, its error echoes them.
            string echo = "{\"errors\":[{\"code\":\"" + (status == 401 ? "UNAUTHORIZED" : "DENIED") + "\",\"message\":\"you sent "
                + "{authorization} as " + AuthRegistriesFixture.User + ":" + _f.Password + "\"}]}";
            await using (var front = FaultServer.Started(upstream))
            {
                front.Rules.Add(new FaultRule { Path = "/manifests/", IfRequestHeader = "Authorization", Action = "status", Status = status, Body = echo });
                var verbose = new List<string>();
                var options = new RegistryClientOptions
                {
                    Credential = new RegistryCredential(AuthRegistriesFixture.User, _f.Password),
                    Log = line => { lock (verbose) verbose.Add(line); },
                };
                FailureException e;
                using (var client = new RegistryClient(options))
                {
                    e = await Assert.ThrowsAsync<FailureException>(() => client.ResolveAsync(
                        new ManifestQuery { Registry = front.Address, Repository = "private/beta", Tag = "v1" }, default));
                }
                Assert.Contains(front.Requests, r => r.HasAuthorization && r.Path.Contains("/manifests/"));
                Assert.Contains(SecretRedactor.Mask, e.Message);   // the registry's words are still quoted
                string text = e.ToString() + "\n" + string.Join("\n", verbose);
                var secrets = new List<string> { _f.Password, Convert.ToBase64String(Encoding.UTF8.GetBytes(AuthRegistriesFixture.User + ":" + _f.Password)) };
                secrets.AddRange(_f.Tokens.IssuedTokens.Skip(issuedBefore));
                if (kind == "token") Assert.True(_f.Tokens.IssuedTokens.Count > issuedBefore, "a token was issued and echoed");
                foreach (string secret in secrets) Assert.DoesNotContain(secret, text);
            }
        }

        [Fact]
        public async Task ATokenServerReasonPhraseThatEchoesTheCredentialIsRedacted()
        {
            // A careless token server: its 500's reason phrase quotes the Authorization header it was sent. The
            // client's own error text carries that phrase, so the client must mask it before the caller sees it.
            await using (var realm = FaultServer.Started(null))
            await using (var registry = FaultServer.Started(null))
            {
                realm.Rules.Add(new FaultRule { Path = ".", Action = "status", Status = 500, Reason = "cannot check {authorization}" });
                registry.Rules.Add(new FaultRule { Path = ".", Action = "status", Status = 401 });
                registry.Rules.Add(new FaultRule { Path = ".", Action = "set-header", Header = "WWW-Authenticate",
                    Value = "Bearer realm=\"http://" + realm.Address + "/token\",service=\"reg\"" });
                var options = new RegistryClientOptions { Credential = new RegistryCredential("alice", "s3cret-pw"), RequestTimeout = TimeSpan.FromSeconds(30) };
                FailureException e;
                using (var client = new RegistryClient(options))
                {
                    e = await Assert.ThrowsAsync<FailureException>(() => client.ResolveAsync(
                        new ManifestQuery { Registry = registry.Address, Repository = "private/beta", Tag = "v1" }, default));
                }
                Assert.Contains(realm.Requests, r => r.AuthorizationScheme == "Basic");
                Assert.Equal("RegistryAuthenticationFailed", e.ErrorId);
                Assert.Equal("The token server " + realm.Address + " of " + registry.Address + " failed: HTTP 500 cannot check Basic "
                    + SecretRedactor.Mask + ".", e.Message);
            }
        }
    }
}
