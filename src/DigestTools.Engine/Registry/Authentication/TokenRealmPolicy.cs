using System;
using System.Collections.Generic;

namespace DigestTools.Engine.Registry.Authentication
{
    /// <summary>
    /// Where a token realm may be: https always; plain http only when the realm's own host is loopback or is
    /// one the user listed as insecure (-InsecureRegistry, DIGESTTOOLS_INSECURE_REGISTRIES). The registry's
    /// scheme does not matter: a loopback registry may still name a realm across the network, and the
    /// password would cross it in the clear. Checked before anything is sent to the realm.
    /// </summary>
    internal static class TokenRealmPolicy
    {
        public static Uri Validate(string realm, Uri registryUri, IEnumerable<string> insecureRegistries)
        {
            string host = HostNames.Authority(registryUri);
            if (string.IsNullOrEmpty(realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var uri))
            {
                throw AuthenticationErrors.Insecure(host, "the Bearer challenge has no valid absolute token realm.");
            }
            if (uri.Scheme == Uri.UriSchemeHttps) return uri;
            string realmAuthority = HostNames.Authority(uri);
            if (uri.Scheme == Uri.UriSchemeHttp
                && (HostNames.IsLoopback(uri.Host) || HostNames.IsListedInsecure(realmAuthority, insecureRegistries)))
            {
                return uri;
            }
            throw AuthenticationErrors.Insecure(host,
                "refusing the token realm " + uri.GetLeftPart(UriPartial.Authority)
                + ": a token realm must use https (plain http only on loopback or for a host listed with -InsecureRegistry); nothing was sent to it.");
        }
    }
}
