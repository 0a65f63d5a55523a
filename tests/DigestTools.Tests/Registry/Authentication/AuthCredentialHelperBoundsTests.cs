using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
using DigestTools.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace DigestTools.Tests
{
    /// <summary>
    /// A docker-credential-* helper is bounded as a whole: one deadline for start, input, output and exit,
    /// and a stop ends it and what it started. Time limits here are hang guards, not assertions.
    /// </summary>
    [Collection(AuthRegistriesCollection.Name)]
    public sealed class AuthCredentialHelperBoundsTests
    {
        private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);
        private readonly ITestOutputHelper _output;
        private readonly AuthRegistriesFixture _f;

        public AuthCredentialHelperBoundsTests(AuthRegistriesFixture fixture, ITestOutputHelper output)
        {
            _f = fixture;
            _output = output;
        }

        private static string ChildPidFile(string helper) => helper + ".child";

        [Fact]
        public async Task AHelperThatExitsButLeavesAChildHoldingItsOutputTimesOut()
        {
            string helper = CredentialHelperScripts.Install("dtorphan",
                "sleep 60 & echo $! > \"$0.child\"\necho '{\"Username\":\"alice\",\"Secret\":\"pw\"}'\nexit 0");
            var store = new DockerCredentialStore(CredentialHelperScripts.WriteConfig("{\"credsStore\":\"dtorphan\"}"), TimeSpan.FromSeconds(1));
            try
            {
                var watch = Stopwatch.StartNew();
                var call = Task.Run(() => store.GetCredential("127.0.0.1:5000"));
                Assert.True(await Task.WhenAny(call, Task.Delay(HangGuard)) == call, "the helper call hung on its child's stdout");
                var e = await Assert.ThrowsAsync<FailureException>(() => call);
                _output.WriteLine($"{e.ErrorId} after {watch.ElapsedMilliseconds} ms: {e.Message}");
                Assert.Equal("RegistryCredentialHelperTimeout", e.ErrorId);
                Assert.Equal(FailureCategory.OperationTimeout, e.Category);
                Assert.Equal("Credential helper timed out: docker-credential-dtorphan get did not finish within 1 s (it exited, but a process it "
                    + "started still held its output) and was stopped; 1 process(es) it had left running were ended too.", e.Message);
                // The orphan (re-parented when the helper exited) is beyond the helper's process tree, yet ended.
                Assert.True(await GoneAsync(await WaitForChildAsync(helper)), "the helper's orphaned child survived");
            }
            finally
            {
                KillChild(helper);   // only if the assertion above failed
            }
        }

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
                int child = await WaitForChildAsync(helper);
                deadline.Cancel();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
                Assert.False(await GoneAsync(child, TimeSpan.FromMilliseconds(500)), "a request's cancellation ended the shared helper run");
                calls.Dispose();
                Assert.True(await GoneAsync(child), "the helper's child outlived the client");
            }
        }

        [Fact]
        public async Task AStopEndsTheHelperAndWhatItStartedAtOnce()
        {
            string helper = CredentialHelperScripts.Install("dtstop", "sleep 60 & echo $! > \"$0.child\"\nwait");
            var store = new DockerCredentialStore(CredentialHelperScripts.WriteConfig("{\"credsStore\":\"dtstop\"}"), TimeSpan.FromSeconds(30));
            using (var stop = new CancellationTokenSource())
            {
                var call = Task.Run(() => store.GetCredential("127.0.0.1:5000", stop.Token));
                int child = await WaitForChildAsync(helper);
                var watch = Stopwatch.StartNew();
                stop.Cancel();
                Assert.True(await Task.WhenAny(call, Task.Delay(HangGuard)) == call, "the stop waited for the helper");
                var e = await Assert.ThrowsAsync<FailureException>(() => call);
                _output.WriteLine($"{e.ErrorId} {watch.ElapsedMilliseconds} ms after the stop");
                Assert.Equal("RegistryCredentialHelperStopped", e.ErrorId);
                Assert.Equal(FailureCategory.OperationStopped, e.Category);
                Assert.True(await GoneAsync(child), "the helper's child process " + child + " survived the stop");
            }
        }

        private static async Task WaitForFileAsync(string path, string failure)
        {
            for (var watch = Stopwatch.StartNew(); !File.Exists(path); await Task.Delay(50))
                Assert.True(watch.Elapsed < HangGuard, failure);
        }

        private static async Task<int> WaitForChildAsync(string helper)
        {
            for (var watch = Stopwatch.StartNew(); watch.Elapsed < HangGuard; await Task.Delay(50))
            {
                string text = File.Exists(ChildPidFile(helper)) ? File.ReadAllText(ChildPidFile(helper)).Trim() : "";
                if (int.TryParse(text, out int pid)) return pid;
            }
            throw new TimeoutException("the helper never started its child");
        }

        // Killing is asynchronous: give the kernel a moment to reap, within the hang guard.
        private static async Task<bool> GoneAsync(int pid, TimeSpan? within = null)
        {
            for (var watch = Stopwatch.StartNew(); watch.Elapsed < (within ?? HangGuard); await Task.Delay(50))
            {
                if (!Directory.Exists("/proc/" + pid) || File.ReadAllText("/proc/" + pid + "/stat").Contains(") Z ")) return true;
            }
            return false;
        }

        private static void KillChild(string helper)
        {
            try
            {
                if (int.TryParse(File.ReadAllText(ChildPidFile(helper)).Trim(), out int pid)) Process.GetProcessById(pid).Kill();
            }
            catch (Exception e) when (e is IOException || e is ArgumentException || e is InvalidOperationException) { }
        }
    }
}
