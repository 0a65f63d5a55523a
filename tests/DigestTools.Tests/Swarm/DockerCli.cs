using System;
using System.Diagnostics;
using DigestTools.Engine.Docker;

namespace DigestTools.Tests.Swarm
{
    /// <summary>The docker CLI (a client only here) as an independent oracle, and endpoints for the test engines.</summary>
    internal static class DockerCli
    {
        internal static EngineEndpoint Endpoint(string address) => new EngineEndpointResolver().Resolve(address);

        /// <summary>Runs `docker -H engine arguments...`; returns stdout, throws on a non-zero exit.</summary>
        internal static string Run(string engine, params string[] arguments)
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
