using System;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// The sentences a user reads when a registry refuses them: who was refused (user, identity token, anonymous),
    /// for what (the repository and action of a token scope) and what to do next. The fixture classes check the
    /// ErrorIds against real registries; these check the words.
    /// </summary>
    public sealed class AuthErrorMessagesTests
    {
        private static readonly RegistryCredential Alice = new RegistryCredential("alice", "pw");

        [Fact]
        public void WrongCredentialsNamesTheUserAndSaysWhatToCheck()
        {
            FailureException e = AuthenticationErrors.WrongCredentials("reg.example:5000", Alice, "HTTP 401");
            Assert.Same(ErrorCatalog.RegistryAuthenticationFailed, e.Kind);
            Assert.Equal("reg.example:5000 rejected the credentials of user 'alice': HTTP 401. Check the password (-Credential)"
                + " or run docker login reg.example:5000 again.", e.Message);
        }

        [Theory]
        [InlineData(null, null, "id-token", " of the identity token")]             // config.json "identitytoken" alone
        [InlineData("alice", null, "id-token", " of the identity token")]          // a helper's "<token>" user with a token
        [InlineData("alice", "pw", "id-token", " of user 'alice'")]                // a password is there: the user answered
        [InlineData("alice", "pw", null, " of user 'alice'")]
        public void WrongCredentialsSaysWhetherAUserOrAnIdentityTokenWasRefused(string user, string password, string token, string who)
        {
            var credential = new RegistryCredential(user, password, token);
            Assert.Equal("reg.example rejected the credentials" + who + ": HTTP 401. Check the password (-Credential) or run docker login reg.example again.",
                AuthenticationErrors.WrongCredentials("reg.example", credential, "HTTP 401").Message);
        }

        [Fact]
        public void NeedsCredentialsSaysWhereItLookedAndHowToGiveOne()
        {
            FailureException e = AuthenticationErrors.NeedsCredentials("reg.example", "checked -Credential and the Docker config");
            Assert.Same(ErrorCatalog.RegistryAuthenticationFailed, e.Kind);
            Assert.Equal("reg.example requires authentication and no credentials were found for it (checked -Credential and the Docker config)."
                + " Pass -Credential, or run docker login reg.example.", e.Message);
        }

        [Fact]
        public void DeniedAnonymouslyNamesTheRepositoryAndSaysNoCredentialWasFound()
        {
            FailureException e = AuthenticationErrors.Denied("reg.example", "repository:library/ubuntu:pull", null);
            Assert.Same(ErrorCatalog.RegistryAccessDenied, e.Kind);
            Assert.Equal("Access to repository library/ubuntu (pull) on reg.example was denied for anonymous access"
                + " (anonymous; no credentials were found for this registry: pass -Credential or run docker login).", e.Message);
        }

        [Fact]
        public void DeniedWithACredentialIsAnInsufficientScopeOfThatUser()
        {
            Assert.Equal("Access to repository team/app (pull,push) on reg.example was denied of user 'alice' (insufficient_scope).",
                AuthenticationErrors.Denied("reg.example", "repository:team/app:pull,push", Alice).Message);
        }

        [Theory]
        [InlineData(null, "the registry")]
        [InlineData("", "the registry")]
        [InlineData("registry:catalog", "registry:catalog")]                                    // not resource:name:action
        [InlineData("repository:a:pull repository:b:pull", "repository:a:pull repository:b:pull")]   // two scopes: kept whole
        public void DeniedKeepsAScopeThatIsNotThreePartsAsItCame(string scope, string described)
        {
            Assert.Equal("Access to " + described + " on reg.example was denied of user 'alice' (insufficient_scope).",
                AuthenticationErrors.Denied("reg.example", scope, Alice).Message);
        }

        [Fact]
        public void InsecurePrefixesTheRegistry()
        {
            FailureException e = AuthenticationErrors.Insecure("reg.example", "the Bearer challenge has no valid absolute token realm.");
            Assert.Same(ErrorCatalog.RegistryTokenRealmRefused, e.Kind);
            Assert.Equal("reg.example: the Bearer challenge has no valid absolute token realm.", e.Message);
        }

        [Fact]
        public void RedirectTargetChallengedNamesBothHostsAndSaysNothingWasSent()
        {
            FailureException e = AuthenticationErrors.RedirectTargetChallenged("reg.example", "/v2/app/blobs/sha256:ab",
                new Uri("http://cdn.example:8080/blob/ab?sig=1"));
            Assert.Same(ErrorCatalog.RegistryRedirectChallengeRefused, e.Kind);
            Assert.Equal("reg.example redirected /v2/app/blobs/sha256:ab to http://cdn.example:8080, which asks for authentication;"
                + " the credentials of reg.example are sent only to reg.example itself, so nothing was sent to cdn.example:8080.", e.Message);
        }

        [Fact]
        public void TokenServerFailedNamesTheTokenServerAndKeepsTheCause()
        {
            var cause = new InvalidOperationException("inner");
            FailureException e = AuthenticationErrors.TokenServerFailed("reg.example", "auth.example", "the answer carries no token", cause);
            Assert.Same(ErrorCatalog.RegistryAuthenticationFailed, e.Kind);
            Assert.Equal("The token server auth.example of reg.example failed: the answer carries no token.", e.Message);
            Assert.Same(cause, e.InnerException);
        }

        [Fact]
        public void UnsupportedSchemeNamesTheSchemeAndTheSupportedOnes()
        {
            FailureException e = AuthenticationErrors.UnsupportedScheme("reg.example", "Negotiate");
            Assert.Same(ErrorCatalog.RegistryAuthenticationFailed, e.Kind);
            Assert.Equal("reg.example asks for the unsupported authentication scheme 'Negotiate' (only Basic and Bearer are supported).", e.Message);
        }
    }
}
