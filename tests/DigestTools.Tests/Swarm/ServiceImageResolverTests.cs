using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Swarm;
using DigestTools.Tests.Pinning;
using Xunit;

namespace DigestTools.Tests.Swarm
{
    /// <summary>
    /// ServiceImageResolver against the real registry: what each form of reference becomes in the service's spec
    /// (a tag, no tag at all, a digest) and the one verbose line that says what the registry answered.
    /// </summary>
    public sealed class ServiceImageResolverTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;
        private static readonly CancellationToken None = CancellationToken.None;

        private static (ServiceImageResolver Resolver, List<string> Log) Resolver()
        {
            var log = new List<string>();
            return (new ServiceImageResolver(new RegistryClientOptions { Log = log.Add }), log);
        }

        [Fact]
        public async Task ATagIsPinnedToTheDigestItNamesAndTheCallersSourceReferenceIsKept()
        {
            var tagged = ParsedReference.Parse(Env.OciReference);
            (ServiceImageResolver resolver, List<string> log) = Resolver();
            ServiceImagePin pin = await resolver.ResolveAsync(tagged, "registry.example/app:stable", None);
            Assert.Equal((tagged.Tag, Env.OciDigest, "registry.example/app:stable"), (pin.Tag, pin.Digest, pin.SourceReference));
            Assert.Equal($"{tagged.Name}:{tagged.Tag}@{Env.OciDigest}", pin.Image);
            Assert.Contains($"{tagged.Name}:{tagged.Tag} names {Env.OciDigest} at the registry now.", log);
        }

        [Fact]
        public async Task ANameWithoutTagOrDigestIsResolvedAsLatest()
        {
            var latest = ParsedReference.Parse($"{Env.Registry}/service-latest-{Guid.NewGuid():n}/busybox:latest");
            await RegistryCopy.CopyAsync(ParsedReference.Parse(Env.OciReference), latest);
            var bare = ParsedReference.Parse(latest.Name);
            (ServiceImageResolver resolver, List<string> log) = Resolver();
            ServiceImagePin pin = await resolver.ResolveAsync(bare, null, None);
            Assert.Equal(("latest", Env.OciDigest, bare.ToString()), (pin.Tag, pin.Digest, pin.SourceReference));
            Assert.Equal($"{latest.Name}:latest@{Env.OciDigest}", pin.Image);
            Assert.Contains($"{latest.Name}:latest names {Env.OciDigest} at the registry now.", log);
        }

        [Fact]
        public async Task ADigestIsCheckedAtTheRegistryAndKeptWithoutATag()
        {
            var tagged = ParsedReference.Parse(Env.OciReference);
            var byDigest = ParsedReference.Parse($"{tagged.Name}@{Env.OciDigest}");
            (ServiceImageResolver resolver, List<string> log) = Resolver();
            ServiceImagePin pin = await resolver.ResolveAsync(byDigest, null, None);
            Assert.Equal(((string)null, Env.OciDigest, byDigest.ToString()), (pin.Tag, pin.Digest, pin.SourceReference));
            Assert.Equal($"{tagged.Name}@{Env.OciDigest}", pin.Image);
            Assert.Contains($"{tagged.Name}@{Env.OciDigest} exists at the registry.", log);
        }
    }
}
