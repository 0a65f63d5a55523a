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

        /// <summary>Pushes a tag of the fixture layout (hello, alt, arm64, multi...) to registry/repository:tag; returns the pushed digest.</summary>
        internal static string Push(string layoutTag, string destination, bool all = false)
        {
            string digestFile = System.IO.Path.GetTempFileName();
            try
            {
                var args = new System.Collections.Generic.List<string> { "copy", "-q", "--dest-tls-verify=false", "--digestfile", digestFile };
                if (all) args.Add("--all");
                args.Add("oci:" + TestEnvironment.Current.FixtureLayout + ":" + layoutTag);
                args.Add("docker://" + destination);
                Run("skopeo", new string[0], args.ToArray());
                return System.IO.File.ReadAllText(digestFile).Trim();
            }
            finally { System.IO.File.Delete(digestFile); }
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
