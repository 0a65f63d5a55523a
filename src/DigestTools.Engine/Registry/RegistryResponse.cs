using System.Net;

namespace DigestTools.Engine.Registry
{
    /// <summary>The parts of one registry answer the resolution needs, copied out so the connection goes back to the pool at once.</summary>
    internal sealed class RegistryResponse
    {
        internal HttpStatusCode StatusCode { get; set; }
        internal string ReasonPhrase { get; set; }
        internal bool IsSuccess => (int)StatusCode >= 200 && (int)StatusCode < 300;

        /// <summary>Docker-Content-Digest as sent (not yet validated), or null.</summary>
        internal string ContentDigest { get; set; }

        /// <summary>Content-Type without parameters, or null.</summary>
        internal string MediaType { get; set; }

        internal long? ContentLength { get; set; }
        internal int? RateLimitLimit { get; set; }
        internal int? RateLimitRemaining { get; set; }

        /// <summary>The raw body for GET, exactly as received; null for HEAD.</summary>
        internal byte[] Body { get; set; }
    }
}
