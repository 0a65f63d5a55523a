using System.Management.Automation;
using System.Text.RegularExpressions;

namespace DigestTools
{
    /// <summary>-Platform takes os/arch[/variant] ("linux/amd64", "linux/arm64/v8"), as docker --platform does.</summary>
    internal sealed class ValidatePlatformAttribute : ValidateArgumentsAttribute
    {
        private static readonly Regex s_platform = new Regex(@"\A[a-z0-9_.-]+/[a-z0-9_.-]+(/[a-z0-9_.-]+)?\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            string value = arguments as string ?? (arguments as PSObject)?.BaseObject as string;
            if (value == null || !s_platform.IsMatch(value))
                throw new ValidationMetadataException($"'{arguments}' is not a platform: use os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8.");
        }
    }
}
