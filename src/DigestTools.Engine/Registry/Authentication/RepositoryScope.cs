using System;
using System.Net.Http;
using System.Text.RegularExpressions;

namespace DigestTools.Engine.Registry.Authentication
{
    /// <summary>
    /// The token scope a registry request needs, derived from its path, so a cached token can be attached
    /// before the registry has to challenge (one token per repository instead of one 401 per request).
    /// </summary>
    internal static class RepositoryScope
    {
        // /v2/<name>/manifests/<ref>, /v2/<name>/blobs/<digest>, /v2/<name>/tags/list, /v2/<name>/referrers/<digest>
        private static readonly Regex RepositoryPath = new Regex(
            @"\A/v2/(?<name>[a-z0-9][a-z0-9._/-]*?)/(?:manifests|blobs|tags|referrers)(?:/|\z)",
            RegexOptions.CultureInvariant | RegexOptions.ECMAScript);

        /// <summary>"repository:&lt;name&gt;:pull" (pull,push for writes), or null when the path names no repository.</summary>
        public static string FromRequest(HttpRequestMessage request)
        {
            if (request?.RequestUri == null) return null;
            var match = RepositoryPath.Match(request.RequestUri.AbsolutePath);
            if (!match.Success) return null;
            bool reads = request.Method == HttpMethod.Get || request.Method == HttpMethod.Head;
            return "repository:" + match.Groups["name"].Value + (reads ? ":pull" : ":pull,push");
        }
    }
}
