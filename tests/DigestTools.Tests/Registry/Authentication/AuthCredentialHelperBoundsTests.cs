using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
using DigestTools.Tests.Support;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// A docker-credential-* helper run is shared by the requests of one client: a request's own deadline does not end
    /// it, the client's end does. (The runner's own bounds, without a registry: CredentialHelperRunnerTests.)
    /// Time limits here are hang guards, not assertions.
    /// </summary>
    [Collection(AuthRegistriesCollection.Name)]
    public sealed class AuthCredentialHelperBoundsTests
    {
        private readonly AuthRegistriesFixture _f;

        public AuthCredentialHelperBoundsTests(AuthRegistriesFixture fixture) => _f = fixture;

        [Fact]
        public async Task AHelperRunOutlivesTheDeadlineOfTheRequestThatStartedItAndServesTheNextRequest()
        {
            // The helper answers only after the first request has been cancelled (the test's "go" file), well
            // within the helper's own deadline: no fixed delay that a loaded machine could outrun.
            string helper = CredentialHelperScripts.Install("dtslow",
                "touch \"$0.started\"\nwhile [ ! -e \"$0.go\" ]; do sleep 0.05; done\n"
                + "echo '{\"Username\":\"" + AuthRegistriesFixture.User + "\",\"Secret\":\"" + _f.Password + "\"}'\ntouch \"$0.done\"");
            var store = new DockerCredentialStore(CredentialHelperScripts.WriteConfig("{\"credsStore\":\"dtslow\"}"), TimeSpan.FromSeconds(30));
            using (var calls = new RegistryCalls(source: store))
            {
                using (var deadline = new CancellationTokenSource())
                {
                    Task first = calls.ManifestAsync(_f.Basic.Address, "fixtures/alpha", "v1", cancellationToken: deadline.Token);
                    await WaitForFileAsync(helper + ".started", "the first request never started the helper");
                    deadline.Cancel();
                    // That request's own deadline passed: a cancellation of that request, not a stopped helper.
                    await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
                }
                File.WriteAllText(helper + ".go", "");
                await WaitForFileAsync(helper + ".done", "the helper never finished: it was ended with the first request");
                using (var response = await calls.ManifestAsync(_f.Basic.Address, "fixtures/alpha", "v1"))
                    Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
                Assert.Single(CredentialHelperScripts.Calls(helper));   // the one run served both requests
            }
        }

        [Fact]
        public async Task TheCredentialHelperRunEndsWhenTheClientIsDisposed()
        {
            string helper = CredentialHelperScripts.Install("dtlinger", "sleep 60 & echo $! > \"$0.child\"\nwait");
            var store = new DockerCredentialStore(CredentialHelperScripts.WriteConfig("{\"credsStore\":\"dtlinger\"}"), TimeSpan.FromSeconds(30));
            var calls = new RegistryCalls(source: store);
            using (var deadline = new CancellationTokenSource())
            {
                Task request = calls.ManifestAsync(_f.Basic.Address, "fixtures/alpha", "v1", cancellationToken: deadline.Token);
                int child = await CredentialHelperScripts.ChildOfAsync(helper);
                deadline.Cancel();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
                Assert.False(await CredentialHelperScripts.GoneAsync(child, TimeSpan.FromMilliseconds(500)), "a request's cancellation ended the shared helper run");
                calls.Dispose();
                Assert.True(await CredentialHelperScripts.GoneAsync(child), "the helper's child outlived the client");
            }
        }

        private static async Task WaitForFileAsync(string path, string failure)
        {
            for (var watch = Stopwatch.StartNew(); !File.Exists(path); await Task.Delay(50))
                Assert.True(watch.Elapsed < CredentialHelperScripts.HangGuard, failure);
        }
    }
}
