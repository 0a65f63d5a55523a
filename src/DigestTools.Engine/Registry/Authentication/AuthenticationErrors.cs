using System;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Registry.Authentication
{
    /// <summary>
    /// The FailureExceptions of the authentication layer, in one place so messages stay consistent.
    /// Messages name hosts, repositories and usernames, never a password, token or Authorization header.
    /// </summary>
    internal static class AuthenticationErrors
    {
        public static FailureException WrongCredentials(string host, RegistryCredential credential, string detail)
            => new FailureException(ErrorCatalog.RegistryAuthenticationFailed,
                host + " rejected the credentials" + Who(credential) + ": " + detail
                + ". Check the password (-Credential) or run docker login " + host + " again.");

        public static FailureException NeedsCredentials(string host, string detail)
            => new FailureException(ErrorCatalog.RegistryAuthenticationFailed,
                host + " requires authentication and no credentials were found for it (" + detail
                + "). Pass -Credential, or run docker login " + host + ".");

        public static FailureException Denied(string host, string scope, RegistryCredential credential)
            => new FailureException(ErrorCatalog.RegistryAccessDenied,
                "Access to " + Describe(scope) + " on " + host + " was denied" + Who(credential)
                + (credential == null ? " (anonymous; no credentials were found for this registry: pass -Credential or run docker login)" : " (insufficient_scope)")
                + ".");

        public static FailureException Insecure(string host, string message)
            => new FailureException(ErrorCatalog.RegistryTokenRealmRefused, host + ": " + message);

        public static FailureException RedirectTargetChallenged(string host, string path, Uri target)
            => new FailureException(ErrorCatalog.RegistryRedirectChallengeRefused,
                host + " redirected " + path + " to " + target.GetLeftPart(UriPartial.Authority)
                + ", which asks for authentication; the credentials of " + host + " are sent only to " + host
                + " itself, so nothing was sent to " + HostNames.Authority(target) + ".");

        public static FailureException TokenServerFailed(string host, string realmHost, string detail, Exception inner = null)
            => new FailureException(ErrorCatalog.RegistryAuthenticationFailed,
                "The token server " + realmHost + " of " + host + " failed: " + detail + ".", inner);

        public static FailureException UnsupportedScheme(string host, string scheme)
            => new FailureException(ErrorCatalog.RegistryAuthenticationFailed,
                host + " asks for the unsupported authentication scheme '" + scheme + "' (only Basic and Bearer are supported).");

        private static string Who(RegistryCredential credential)
            => credential == null ? " for anonymous access"
               : credential.Username == null || credential.IdentityToken != null && credential.Password == null ? " of the identity token"
               : " of user '" + credential.Username + "'";

        private static string Describe(string scope)
        {
            if (string.IsNullOrEmpty(scope)) return "the registry";
            // "repository:library/ubuntu:pull" -> "repository library/ubuntu (pull)"
            var parts = scope.Split(':');
            return parts.Length == 3 ? parts[0] + " " + parts[1] + " (" + parts[2] + ")" : scope;
        }
    }
}
