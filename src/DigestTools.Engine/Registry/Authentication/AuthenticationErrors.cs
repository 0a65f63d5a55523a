using System;

namespace DigestTools.Engine.Registry.Authentication
{
    /// <summary>
    /// The RegistryExceptions of the authentication layer, in one place so ids and categories stay stable.
    /// Messages name hosts, repositories and usernames, never a password, token or Authorization header.
    /// </summary>
    internal static class AuthenticationErrors
    {
        public const string AuthenticationFailedId = "RegistryAuthenticationFailed";
        public const string CredentialHelperFailedId = "RegistryCredentialHelperFailed";
        public const string CredentialHelperTimeoutId = "RegistryCredentialHelperTimeout";
        public const string CredentialHelperStoppedId = "RegistryCredentialHelperStopped";
        public const string CredentialConfigInvalidId = "RegistryCredentialConfigInvalid";

        public static RegistryException WrongCredentials(string host, RegistryCredential credential, string detail)
            => new RegistryException(AuthenticationFailedId, "AuthenticationError",
                host + " rejected the credentials" + Who(credential) + ": " + detail
                + ". Check the password (-Credential) or run docker login " + host + " again.");

        public static RegistryException NeedsCredentials(string host, string detail)
            => new RegistryException(AuthenticationFailedId, "AuthenticationError",
                host + " requires authentication and no credentials were found for it (" + detail
                + "). Pass -Credential, or run docker login " + host + ".");

        public static RegistryException Denied(string host, string scope, RegistryCredential credential)
            => new RegistryException(AuthenticationFailedId, "PermissionDenied",
                "Access to " + Describe(scope) + " on " + host + " was denied" + Who(credential)
                + (credential == null ? " (anonymous; no credentials were found for this registry: pass -Credential or run docker login)" : " (insufficient_scope)")
                + ".");

        public static RegistryException Insecure(string host, string message)
            => new RegistryException(AuthenticationFailedId, "SecurityError", host + ": " + message);

        public static RegistryException RedirectTargetChallenged(string host, string path, Uri target)
            => new RegistryException(AuthenticationFailedId, "SecurityError",
                host + " redirected " + path + " to " + target.GetLeftPart(UriPartial.Authority)
                + ", which asks for authentication; the credentials of " + host + " are sent only to " + host
                + " itself, so nothing was sent to " + HostNames.Authority(target) + ".");

        public static RegistryException TokenServerFailed(string host, string realmHost, string detail, Exception inner = null)
            => new RegistryException(AuthenticationFailedId, "AuthenticationError",
                "The token server " + realmHost + " of " + host + " failed: " + detail + ".", inner);

        public static RegistryException UnsupportedScheme(string host, string scheme)
            => new RegistryException(AuthenticationFailedId, "AuthenticationError",
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
