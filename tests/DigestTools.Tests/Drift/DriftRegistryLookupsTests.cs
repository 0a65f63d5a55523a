using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Drift;
using DigestTools.Engine.Registry;
using DigestTools.Tests.Pinning;
using Xunit;

namespace DigestTools.Tests.Drift
{
    /// <summary>
    /// DriftRegistryLookups against the suite's registry: one question per distinct tag or digest (and platform), never
    /// one answer for two different questions, and the exact verbose lines.
    /// </summary>
    public sealed class DriftRegistryLookupsTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;

        [Fact]
        public void DistinctQuestionsAreAskedApartAndRepeatsShareOneAnswer()
        {
            using (var lookups = new DriftRegistryLookups(new RegistryClientOptions(), 4, new RecordingLog()))
            {
                string r = Env.Registry;
                CancellationToken none = CancellationToken.None;
                Assert.Same(lookups.CurrentAsync(r, "dt-keys/a", "v1", null, none), lookups.CurrentAsync(r, "dt-keys/a", "v1", null, none));
                Assert.NotSame(lookups.CurrentAsync(r, "dt-keys/a", "bc", null, none), lookups.CurrentAsync(r, "dt-keys/ab", "c", null, none));
                Assert.NotSame(lookups.CurrentAsync(r, "dt-keys/a", "v1", "linux/amd64", none), lookups.CurrentAsync(r, "dt-keys/a", "v1l", "inux/amd64", none));
                Assert.Equal(5, lookups.TagLookups);
                string d = "sha256:" + new string('f', 64);
                Assert.Same(lookups.PresenceAsync(r, "dt-keys/a", d, null, none), lookups.PresenceAsync(r, "dt-keys/a", d, null, none));
                Assert.NotSame(lookups.PresenceAsync(r, "dt-keys/a", d, null, none), lookups.PresenceAsync(r, "dt-keys/a", d, "linux/amd64", none));
                Assert.NotSame(lookups.PresenceAsync(r, "dt-keys/a", d, "linux/amd64", none), lookups.PresenceAsync(r, "dt-keys/a", d + "l", "inux/amd64", none));
                Assert.Equal(3, lookups.DigestLookups);
            }
        }

        [Fact]
        public async Task EachLookupSaysWhatItAsks()
        {
            var log = new RecordingLog();
            using (var lookups = new DriftRegistryLookups(new RegistryClientOptions(), 4, log))
            {
                string repository = Env.OciReference.Substring(Env.Registry.Length + 1, Env.OciReference.LastIndexOf(':') - Env.Registry.Length - 1);
                ManifestResolution current = await lookups.CurrentAsync(Env.Registry, repository, "oci", null, CancellationToken.None);
                Assert.Equal(Env.OciDigest, current.Digest);
                await lookups.CurrentAsync(Env.Registry, repository, "oci", "linux/amd64", CancellationToken.None);
                Assert.True((await lookups.PresenceAsync(Env.Registry, repository, Env.OciDigest, null, CancellationToken.None)).Exists);
                await lookups.PresenceAsync(Env.Registry, repository, Env.OciDigest, "linux/amd64", CancellationToken.None);
                Assert.Equal(new[]
                {
                    $"Asking {Env.Registry} what {repository}:oci names now.",
                    $"Asking {Env.Registry} what {repository}:oci names now (platform linux/amd64).",
                    $"Asking {Env.Registry} whether {repository}@{Env.OciDigest} still resolves.",
                    $"Asking {Env.Registry} whether {repository}@{Env.OciDigest} still resolves (platform linux/amd64).",
                }, log.VerboseLines.ToArray());
            }
        }
    }
}
