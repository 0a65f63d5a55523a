using System;
using System.IO;
using System.Text.Json;

namespace DigestTools.Tests.LiveSupport
{
    /// <summary>
    /// The shared test environment build.ps1 starts (real registry, dockerd, Podman), read from the JSON that
    /// DIGESTTOOLS_TEST_ENV names. Tests that need it fail with a clear message when it is absent.
    /// </summary>
    public sealed class LiveEnvironment
    {
        private static readonly Lazy<LiveEnvironment> s_current = new Lazy<LiveEnvironment>(Load);

        private LiveEnvironment(JsonElement root)
        {
            Registry = root.GetProperty("Registry").GetString();
            DockerHost = root.GetProperty("DockerHost").GetString();
            PodmanHost = root.GetProperty("PodmanHost").GetString();
            FixtureLayout = root.GetProperty("FixtureLayout").GetProperty("Path").GetString();
        }

        public static LiveEnvironment Current => s_current.Value;

        /// <summary>127.0.0.1:PORT, anonymous, deletes enabled.</summary>
        public string Registry { get; }
        public string DockerHost { get; }
        public string PodmanHost { get; }

        /// <summary>OCI layout with tags hello, alt, arm64, multi (an index of hello and arm64), multi-plain.</summary>
        public string FixtureLayout { get; }

        /// <summary>The engine address for "Docker" or "Podman".</summary>
        public string EngineHost(string engine) => engine == "Podman" ? PodmanHost : DockerHost;

        private static LiveEnvironment Load()
        {
            string path = Environment.GetEnvironmentVariable("DIGESTTOOLS_TEST_ENV");
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
                throw new InvalidOperationException("No test environment: run through build.ps1 -Task Test, or Start-TestEnvironment and set DIGESTTOOLS_TEST_ENV.");
            using (JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path)))
                return new LiveEnvironment(doc.RootElement.Clone());
        }
    }
}
