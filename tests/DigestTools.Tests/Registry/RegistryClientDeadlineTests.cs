using System;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Registry;
using DigestTools.Tests.Support;
using DigestTools.TestServers;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// RegistryClient over the real (anonymous) registry, with a fault server in front where a fault is needed:
    /// the version check comes first, the caller's cancellation stays a cancellation, and no deadline means none.
    /// </summary>
    [Collection(AuthRegistriesCollection.Name)]
    public sealed class RegistryClientDeadlineTests : AuthRegistriesTests
    {
        public RegistryClientDeadlineTests(AuthRegistriesFixture fixture) : base(fixture) { }

        private static ManifestQuery Query(string registry) => new ManifestQuery { Registry = registry, Repository = Repository, Tag = "v1" };

        [Fact]
        public async Task WithoutADeadlineTheManifestIsStillResolved()
        {
            using (var client = new RegistryClient(new RegistryClientOptions { RequestTimeout = TimeSpan.Zero }))
                Assert.Equal(_f.Digests[Repository], (await client.ResolveAsync(Query(_f.Anonymous.Address), CancellationToken.None)).Digest);
        }

        [Fact]
        public async Task AServerWhoseV2AnswersNotFoundIsNoRegistryEvenIfItsManifestPathsAnswer()
        {
            await using (var proxy = FaultServer.Started(_f.Anonymous.Address))
            {
                proxy.Rules.Add(new FaultRule { Path = "^/v(2|1/_ping)/?$", Action = "status", Status = 404 });
                using (var client = new RegistryClient(new RegistryClientOptions()))
                {
                    var e = await Assert.ThrowsAsync<FailureException>(() => client.ResolveAsync(Query(proxy.Address), CancellationToken.None));
                    Assert.Same(ErrorCatalog.RegistryProtocolError, e.Kind);
                    Assert.Contains("is not a container registry", e.Message);
                }
            }
        }

        [Fact]
        public async Task DisposingTheClientClosesItsConnectionsToTheRegistry()
        {
            await using (var proxy = FaultServer.Started(_f.Anonymous.Address))
            {
                var client = new RegistryClient(new RegistryClientOptions());
                Assert.Equal(_f.Digests[Repository], (await client.ResolveAsync(Query(proxy.Address), CancellationToken.None)).Digest);
                Assert.True(proxy.OpenConnections > 0, "the resolution's connection is kept alive for the next reference");
                client.Dispose();
                // A runbook that makes a client per job must not leave sockets behind; the bound is a hang guard.
                Assert.Equal(0, await proxy.WhenNoConnectionIsOpenAsync(TimeSpan.FromSeconds(10)));
            }
        }

        [Fact]
        public async Task TheCallersCancellationIsACancellationNotATimeout()
        {
            await using (var proxy = FaultServer.Started(_f.Anonymous.Address))
            {
                proxy.Rules.Add(new FaultRule { Path = "/manifests/", Action = "delay", DelayMs = 10000 });
                using (var client = new RegistryClient(new RegistryClientOptions { RequestTimeout = TimeSpan.FromSeconds(30) }))
                using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500)))
                    await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ResolveAsync(Query(proxy.Address), cancel.Token));
            }
        }
    }
}
