using System.Management.Automation;
using System.Text.RegularExpressions;
using DigestTools.Engine.Errors;

namespace DigestTools
{
    /// <summary>
    /// -Platform takes os/arch[/variant] ("linux/amd64", "linux/arm64/v8"), as docker --platform does. Every
    /// cmdlet checks it here, per input, so a bad value is always the documented InvalidPlatform error.
    /// </summary>
    internal static class PlatformInput
    {
        private static readonly Regex s_platform = new Regex(@"\A[a-z0-9_.-]+/[a-z0-9_.-]+(/[a-z0-9_.-]+)?\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        /// <summary>The platform to use (null for none given), or false with an InvalidPlatform record.</summary>
        internal static bool TryRead(string platform, out string normalized, out ErrorRecord error)
        {
            error = null;
            normalized = string.IsNullOrWhiteSpace(platform) ? null : platform.Trim();
            if (normalized == null || s_platform.IsMatch(normalized)) return true;
            error = ErrorRecords.For(ErrorCatalog.InvalidPlatform,
                $"'{platform}' is not a platform: use os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8.", platform);
            return false;
        }
    }
}
