using System;

namespace DigestTools.Engine.Registry.Authentication
{
    /// <summary>
    /// Where a token realm may be: https always; plain http only when the registry itself is plain http on
    /// loopback (a local test registry). Otherwise credentials would cross the network in the clear.
    /// </summary>
    internal static class TokenRealmPolicy
    {
        public static Uri Validate(string realm, Uri registryUri)
        {
            string host = HostNames.Authority(registryUri);
            if (string.IsNullOrEmpty(realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var uri))
            {
                throw AuthenticationErrors.Insecure(host, "the Bearer challenge has no valid absolute token realm.");
            }
            if (uri.Scheme == Uri.UriSchemeHttps) return uri;
            if (uri.Scheme == Uri.UriSchemeHttp && registryUri.Scheme == Uri.UriSchemeHttp && HostNames.IsLoopback(registryUri.Host))
            {
                return uri;
            }
            throw AuthenticationErrors.Insecure(host,
                "refusing the token realm " + uri.GetLeftPart(UriPartial.Authority)
                + ": a token realm must use https (plain http is accepted only when the registry itself is plain http on loopback).");
        }
    }
}
