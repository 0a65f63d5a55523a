using System.Globalization;
using System.Linq;
using System.Net.Http.Headers;

namespace DigestTools.Engine.Registry
{
    /// <summary>Docker Hub's ratelimit-limit / ratelimit-remaining values: "100;w=21600" means 100 per 21600 s.</summary>
    internal static class RateLimitHeader
    {
        internal const string LimitName = "ratelimit-limit";
        internal const string RemainingName = "ratelimit-remaining";

        /// <summary>The count of the first <paramref name="name"/> header; null when absent or not a number.</summary>
        internal static int? Read(HttpHeaders headers, string name)
            => headers != null && headers.TryGetValues(name, out var values) ? Parse(values.FirstOrDefault()) : null;

        /// <summary>The count before any ";w=..." window; null when absent or not a number.</summary>
        internal static int? Parse(string value)
        {
            if (string.IsNullOrWhiteSpace(value)) return null;
            int semicolon = value.IndexOf(';');
            string count = (semicolon >= 0 ? value.Substring(0, semicolon) : value).Trim();
            return int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) ? parsed : (int?)null;
        }
    }
}
