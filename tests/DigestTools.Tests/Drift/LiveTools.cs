using System;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Tests.Pinning;

namespace DigestTools.Tests.Drift
{
    /// <summary>
    /// Independent tools for setting up and checking live tests: the docker CLI (a client only, against either
    /// engine's socket), skopeo for pushing fixture images, and plain HTTP for registry deletes.
    /// </summary>
    internal static class LiveTools
    {
        internal static string Docker(string engineHost, params string[] arguments)
            => Run("docker", new[] { "-H", engineHost }, arguments);

        /// <summary>
        /// Copies a registry fixture ("hello": the OCI image, "alt": the other one, "multi": the OCI index) or the
        /// fixture layout's "multi-plain" (another OCI index over the same amd64 image as "multi") to
        /// registry/repository:tag, digests preserved (no new manifest for the same image: Podman would list it
        /// under every name of that image); returns the digest.
        /// </summary>
        internal static string Push(string fixture, string destination)
        {
            TestEnvironment env = TestEnvironment.Current;
            string source = fixture == "multi-plain" ? $"oci:{env.FixtureLayoutPath}:multi-plain"
                : "docker://" + (fixture == "alt" ? env.OciAltReference : fixture == "multi" ? env.OciIndexReference : env.OciReference);
            string digestFile = System.IO.Path.GetTempFileName();
            try
            {
                Run("skopeo", new string[0], new[] { "--insecure-policy", "copy", "-q", "--all", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false",
                    "--src-no-creds", "--dest-no-creds", "--digestfile", digestFile, source, "docker://" + destination });
                return System.IO.File.ReadAllText(digestFile).Trim();
            }
            finally { System.IO.File.Delete(digestFile); }
        }

        /// <summary>Removes containers (forced) and then image references from an engine; what is already gone is fine.</summary>
        internal static void CleanUp(string engineHost, string[] containers, params string[] images)
        {
            foreach (string c in containers) TryRun("docker", new[] { "-H", engineHost, "rm", "-f", c });
            foreach (string i in images) TryRun("docker", new[] { "-H", engineHost, "rmi", i });
        }

        /// <summary>DELETE /v2/{repository}/manifests/{digest} on the test registry (deletes are enabled there).</summary>
        internal static void DeleteManifest(string repository, string digest)
        {
            using (var http = new HttpClient())
            {
                HttpResponseMessage r = http.DeleteAsync($"http://{TestEnvironment.Current.Registry}/v2/{repository}/manifests/{digest}").GetAwaiter().GetResult();
                if ((int)r.StatusCode != 202) throw new InvalidOperationException($"DELETE {repository}@{digest} answered {(int)r.StatusCode}");
            }
        }

        internal static EngineClient Connect(string engineHost)
            => EngineClient.ConnectAsync(new EngineEndpointResolver().Resolve(engineHost), CancellationToken.None).GetAwaiter().GetResult();

        internal static string UniqueName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("n").Substring(0, 8);

        private static void TryRun(string file, string[] arguments)
        {
            try { Run(file, new string[0], arguments); } catch (InvalidOperationException) { }
        }

        private static string Run(string file, string[] first, string[] arguments)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in first) start.ArgumentList.Add(a);
            foreach (string a in arguments) start.ArgumentList.Add(a);
            using (Process p = Process.Start(start))
            {
                Task<string> stdout = p.StandardOutput.ReadToEndAsync();
                Task<string> stderr = p.StandardError.ReadToEndAsync();
                p.WaitForExit();
                if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(" ", arguments)} failed ({p.ExitCode}): {stderr.Result}");
                return stdout.Result.Trim();
            }
        }
    }
}
