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

        public AuthCredentialHelperBoundsTests(ITestOutputHelper output) => _output = output;

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
                Assert.Contains("held its output", e.Message);
            }
            finally
            {
                KillChild(helper);   // an orphan is beyond the helper's process tree: the test ends it itself
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
        private static async Task<bool> GoneAsync(int pid)
        {
            for (var watch = Stopwatch.StartNew(); watch.Elapsed < HangGuard; await Task.Delay(50))
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
