using System;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;

namespace DigestTools.Tests.Pinning
{
    /// <summary>
    /// The registry and engines build.ps1 starts for the suite (tests/infra): the JSON named by
    /// DIGESTTOOLS_TEST_ENV. Focused runs start it with Start-TestEnvironment first.
    /// </summary>
    internal sealed class TestEnvironment
    {
        private static readonly Lazy<TestEnvironment> s_current = new Lazy<TestEnvironment>(Load);

        internal static TestEnvironment Current => s_current.Value;

        internal string Registry { get; private set; }
        internal string DockerHost { get; private set; }
        internal string PodmanHost { get; private set; }

        /// <summary>The second dockerd, a single-node Swarm manager.</summary>
        internal string SwarmHost { get; private set; }
        internal string OciReference { get; private set; }
        internal string OciDigest { get; private set; }
        internal string OciAltReference { get; private set; }

        /// <summary>The Docker-form (v2 schema 2) fixture: another manifest over the Oci fixture's config and layers.</summary>
        internal string DockerReference { get; private set; }
        internal string DockerDigest { get; private set; }

        /// <summary>The OCI index fixture (amd64 + arm64/v8 children).</summary>
        internal string OciIndexReference { get; private set; }

        internal string EngineHost(string engine) => engine == "Podman" ? PodmanHost : DockerHost;

        /// <summary>A client of the suite's dockerd ("Docker") or Podman ("Podman").</summary>
        internal Task<EngineClient> ConnectAsync(string engine)
            => EngineClient.ConnectAsync(new EngineEndpointResolver().Resolve(EngineHost(engine)), CancellationToken.None);

        private static TestEnvironment Load()
        {
            string path = Environment.GetEnvironmentVariable("DIGESTTOOLS_TEST_ENV");
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
                throw new InvalidOperationException("DIGESTTOOLS_TEST_ENV does not name the test environment's JSON: run build.ps1 -Task Test, or Start-TestEnvironment (tests/infra/README.md).");
            using (JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path)))
            {
                JsonElement root = doc.RootElement;
                JsonElement fixtures = root.GetProperty("Fixtures");
                return new TestEnvironment
                {
                    Registry = root.GetProperty("Registry").GetString(),
                    DockerHost = root.GetProperty("DockerHost").GetString(),
                    PodmanHost = root.GetProperty("PodmanHost").GetString(),
                    SwarmHost = root.GetProperty("SwarmHost").GetString(),
                    OciReference = fixtures.GetProperty("Oci").GetProperty("Reference").GetString(),
                    OciDigest = fixtures.GetProperty("Oci").GetProperty("Digest").GetString(),
                    OciAltReference = fixtures.GetProperty("OciAlt").GetProperty("Reference").GetString(),
                    DockerReference = fixtures.GetProperty("Docker").GetProperty("Reference").GetString(),
                    DockerDigest = fixtures.GetProperty("Docker").GetProperty("Digest").GetString(),
                    OciIndexReference = fixtures.GetProperty("OciIndex").GetProperty("Reference").GetString(),
                };
            }
        }
    }
}
