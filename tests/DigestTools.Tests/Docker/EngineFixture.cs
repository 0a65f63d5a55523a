using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Tests.Pinning;

namespace DigestTools.Tests
{
    /// <summary>The suite's Oci fixture in an engine, by repository@digest: what engine tests create containers from.</summary>
    internal static class EngineFixture
    {
        public static async Task<string> PulledOciAsync(EngineClient client)
        {
            TestEnvironment env = TestEnvironment.Current;
            string repository = env.OciReference.Substring(0, env.OciReference.LastIndexOf(':'));
            await client.PullAsync(new ImagePullRequest { Repository = repository, TagOrDigest = env.OciDigest }, null, CancellationToken.None);
            return repository + "@" + env.OciDigest;
        }
    }
}
