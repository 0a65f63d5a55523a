using System;
using System.Diagnostics;
using System.Threading.Tasks;
using DigestTools.Engine.References;

namespace DigestTools.Tests.Pinning
{
    /// <summary>Copies an image between repositories of the test registry with skopeo, as tests/infra's Copy-TestImage does.</summary>
    internal static class RegistryCopy
    {
        /// <summary>A repository of a test's own ("prefix-GUID/busybox:tag") holding a copy of the source image.</summary>
        internal static async Task<ParsedReference> ScratchCopyAsync(string source, string prefix, string tag)
        {
            var scratch = ParsedReference.Parse($"{TestEnvironment.Current.Registry}/{prefix}-{Guid.NewGuid():n}/busybox:{tag}");
            await CopyAsync(ParsedReference.Parse(source), scratch);
            return scratch;
        }

        internal static async Task CopyAsync(ParsedReference source, ParsedReference destination)
        {
            var start = new ProcessStartInfo("skopeo")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[] { "--insecure-policy", "copy", "--quiet", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false",
                "--src-no-creds", "--dest-no-creds", "docker://" + source, "docker://" + destination })
                start.ArgumentList.Add(argument);
            using (Process skopeo = Process.Start(start))
            {
                string errors = await skopeo.StandardError.ReadToEndAsync();
                await skopeo.WaitForExitAsync();
                if (skopeo.ExitCode != 0) throw new InvalidOperationException($"skopeo copy {source} {destination} failed: {errors}");
            }
        }
    }
}
