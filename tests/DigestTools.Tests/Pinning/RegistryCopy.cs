using System;
using System.Diagnostics;
using System.IO;
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

        internal static Task CopyAsync(ParsedReference source, ParsedReference destination)
            => SkopeoCopyAsync("--preserve-digests", "--src-tls-verify=false", "docker://" + source, "docker://" + destination);

        /// <summary>An index with every platform's image, digests kept.</summary>
        internal static Task CopyAllPlatformsAsync(ParsedReference source, ParsedReference destination)
            => SkopeoCopyAsync("--all", "--preserve-digests", "--src-tls-verify=false", "docker://" + source, "docker://" + destination);

        /// <summary>Pushes a tag of the fixture layout as an OCI ("oci") or Docker ("v2s2") manifest; returns the pushed digest.</summary>
        internal static async Task<string> PushLayoutTagAsync(string layoutTag, string format, ParsedReference destination)
        {
            string digestFile = Path.GetTempFileName();
            try
            {
                await SkopeoCopyAsync("--format", format, "--digestfile", digestFile,
                    $"oci:{TestEnvironment.Current.FixtureLayoutPath}:{layoutTag}", "docker://" + destination);
                return File.ReadAllText(digestFile).Trim();
            }
            finally { File.Delete(digestFile); }
        }

        private static async Task SkopeoCopyAsync(params string[] arguments)
        {
            var start = new ProcessStartInfo("skopeo")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[] { "--insecure-policy", "copy", "--quiet", "--dest-tls-verify=false", "--src-no-creds", "--dest-no-creds" })
                start.ArgumentList.Add(argument);
            foreach (string argument in arguments) start.ArgumentList.Add(argument);
            using (Process skopeo = Process.Start(start))
            {
                string errors = await skopeo.StandardError.ReadToEndAsync();
                await skopeo.WaitForExitAsync();
                if (skopeo.ExitCode != 0) throw new InvalidOperationException($"skopeo copy {string.Join(" ", arguments)} failed: {errors}");
            }
        }
    }
}
