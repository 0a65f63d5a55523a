using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using DigestTools.Engine.Docker;

namespace DigestTools.Tests.Swarm
{
    /// <summary>
    /// The shared test environment (build.ps1 -Task Test, or Start-TestEnvironment with DIGESTTOOLS_TEST_ENV set):
    /// the registry with its fixtures, the standalone dockerd, Podman, and the second dockerd that manages a Swarm.
    /// </summary>
    public sealed class SwarmTestEnvironment
    {
        public SwarmTestEnvironment()
        {
            string path = Environment.GetEnvironmentVariable("DIGESTTOOLS_TEST_ENV");
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
                throw new InvalidOperationException("No test environment: run through build.ps1 -Task Test, or Start-TestEnvironment and set DIGESTTOOLS_TEST_ENV.");
            using (JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path)))
            {
                JsonElement root = doc.RootElement;
                Registry = root.GetProperty("Registry").GetString();
                DockerHost = root.GetProperty("DockerHost").GetString();
                PodmanHost = root.GetProperty("PodmanHost").GetString();
                SwarmHost = root.GetProperty("SwarmHost").GetString();
                JsonElement oci = root.GetProperty("Fixtures").GetProperty("Oci");
                OciReference = oci.GetProperty("Reference").GetString();
                OciDigest = oci.GetProperty("Digest").GetString();
            }
        }

        public string Registry { get; }
        public string DockerHost { get; }
        public string PodmanHost { get; }
        public string SwarmHost { get; }

        /// <summary>registry/fixtures/busybox:oci and the digest it names (busybox, runs `echo hello`).</summary>
        public string OciReference { get; }
        public string OciDigest { get; }

        public static EngineEndpoint Endpoint(string address) => new EngineEndpointResolver().Resolve(address);

        /// <summary>The docker CLI as an independent oracle and for clean-up; returns stdout, throws on failure.</summary>
        public static string DockerCli(string engine, params string[] arguments)
        {
            var psi = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("-H");
            psi.ArgumentList.Add(engine);
            foreach (string a in arguments) psi.ArgumentList.Add(a);
            using (Process p = Process.Start(psi))
            {
                string output = p.StandardOutput.ReadToEnd();
                string error = p.StandardError.ReadToEnd();
                p.WaitForExit();
                if (p.ExitCode != 0) throw new InvalidOperationException($"docker {string.Join(" ", arguments)} failed: {error}");
                return output.Trim();
            }
        }
    }
}
