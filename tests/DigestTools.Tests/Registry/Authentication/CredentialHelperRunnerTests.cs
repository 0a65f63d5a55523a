using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
using DigestTools.Tests.Support;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// The docker-credential-* protocol and its bounds on real processes (small shell helpers on PATH), without a
    /// registry: what a helper's answer, exit code and errors become, and how a helper that does not finish is ended.
    /// Time limits are the helpers' own timeouts and hang guards, never timing assertions.
    /// </summary>
    public sealed class CredentialHelperRunnerTests
    {
        private const string Config = "/etc/dt-runner/config.json";
        private static readonly TimeSpan Ample = TimeSpan.FromSeconds(20);

        // The sentence's end after a tree kill: the marker scan right after it may still find (and count) a process
        // the kill signalled but that had not died yet, so "none" and "some" are both right there.
        private const string MaybeEndedToo = "(; [0-9]+ process\\(es\\) it had left running were ended too)?\\.$";

        private static RegistryCredential Get(string helper, string serverAddress = "reg.example:5000")
            => new CredentialHelperRunner(Ample).Get(helper, serverAddress, Config);

        private static FailureException Failure(string helper, string serverAddress = "reg.example:5000")
            => Assert.Throws<FailureException>(() => Get(helper, serverAddress));

        private static string Answer(string username, string secret)
            => "printf '{\"ServerURL\":\"%s\",\"Username\":\"" + username + "\",\"Secret\":\"" + secret + "\"}' \"$url\"";

        [Fact]
        public void TheServerAddressGoesToGetOnStdinAndTheAnswerIsAUserAndPassword()
        {
            string helper = CredentialHelperScripts.Install("dtrun-ok", Answer("alice", "pw-1"));
            RegistryCredential credential = Get("dtrun-ok");
            Assert.Equal("alice", credential.Username);
            Assert.Equal("pw-1", credential.Password);
            Assert.Null(credential.IdentityToken);
            Assert.Equal(new[] { "get reg.example:5000" }, CredentialHelperScripts.Calls(helper));
        }

        [Fact]
        public void TheUserNameTokenMeansTheSecretIsAnIdentityToken()
        {
            CredentialHelperScripts.Install("dtrun-token", Answer("<token>", "it-7"));
            RegistryCredential credential = Get("dtrun-token");
            Assert.Equal("it-7", credential.IdentityToken);
            Assert.Null(credential.Username);
            Assert.Null(credential.Password);
        }

        [Theory]
        [InlineData("empty", "{\"Username\":\"alice\",\"Secret\":\"\"}")]
        [InlineData("none", "{\"Username\":\"alice\"}")]
        [InlineData("number", "{\"Username\":\"alice\",\"Secret\":5}")]
        [InlineData("array", "[\"alice\",\"pw\"]")]
        [InlineData("string", "\"alice:pw\"")]
        public void AnAnswerWithoutASecretIsAnonymous(string name, string json)
        {
            CredentialHelperScripts.Install("dtrun-nosecret-" + name, "echo '" + json + "'");
            Assert.Null(Get("dtrun-nosecret-" + name));
        }

        [Fact]
        public void OutputThatIsNotTheExpectedJsonIsAnErrorThatDoesNotEchoIt()
        {
            CredentialHelperScripts.Install("dtrun-garbage", "echo 'user=alice secret=s3cr3t-out'");
            FailureException e = Failure("dtrun-garbage");
            Assert.Equal("RegistryCredentialHelperFailed", e.ErrorId);
            Assert.Equal(FailureCategory.ResourceUnavailable, e.Category);
            Assert.Equal("Credential helper failed: docker-credential-dtrun-garbage get printed something that is not the expected JSON.", e.Message);
        }

        [Theory]
        [InlineData("out", "echo 'credentials not found in native keychain'; exit 1")]          // Docker Desktop's helpers
        [InlineData("err", "echo 'error: Credentials Not Found' >&2; exit 1")]
        public void CredentialsNotFoundIsAnonymous(string name, string body)
        {
            CredentialHelperScripts.Install("dtrun-notfound-" + name, body);
            Assert.Null(Get("dtrun-notfound-" + name));
        }

        // Name, helper body, the message's tail after "exited with code 3": the first stderr line, trimmed, cut after 200 characters.
        public static TheoryData<string, string, string> FailingHelpers => new TheoryData<string, string, string>
        {
            { "said", "printf '\\n  keychain is locked  \\nsee the log\\n' >&2; exit 3", ": keychain is locked" },
            { "silent", "echo 'a half answer'; exit 3", "" },
            { "long", "printf '%0201d\\n' 0 >&2; exit 3", ": " + new string('0', 200) + "..." },
            { "edge", "printf '%0200d\\n' 0 >&2; exit 3", ": " + new string('0', 200) },
        };

        [Theory]
        [MemberData(nameof(FailingHelpers))]
        public void AHelperThatFailsIsAnErrorWithTheFirstLineOfItsErrors(string name, string body, string tail)
        {
            CredentialHelperScripts.Install("dtrun-fails-" + name, body);
            FailureException e = Failure("dtrun-fails-" + name);
            Assert.Equal("RegistryCredentialHelperFailed", e.ErrorId);
            Assert.Equal("Credential helper failed: docker-credential-dtrun-fails-" + name + " get exited with code 3" + tail + ".", e.Message);
        }

        [Fact]
        public void AHelperThatExitsWithoutReadingItsInputIsJudgedByItsExitCode()
        {
            // An address larger than a pipe holds: writing it fails once the helper has gone without reading.
            CredentialHelperScripts.Install("dtrun-deaf", "exit 4", readsInput: false);
            FailureException e = Failure("dtrun-deaf", "reg.example/" + new string('a', 1 << 20));
            Assert.Equal("Credential helper failed: docker-credential-dtrun-deaf get exited with code 4.", e.Message);
        }

        [Theory]
        [InlineData("")]
        [InlineData(" ")]
        [InlineData("\t")]
        [InlineData("a/b")]
        [InlineData("/x")]
        [InlineData("a\\b")]
        [InlineData("a b")]
        [InlineData("a..b")]
        public void ANameThatIsNoProgramNameIsRefused(string name)
        {
            FailureException e = Assert.Throws<FailureException>(() => new CredentialHelperRunner(Ample).Get(name, "reg.example", Config));
            Assert.Equal("RegistryCredentialHelperFailed", e.ErrorId);
            Assert.Equal("Credential helper failed: '" + name + "' in " + Config + " is not a valid credential helper name.", e.Message);
        }

        [Fact]
        public void AHelperMissingFromPathIsAnErrorNamingTheConfig()
        {
            FailureException e = Failure("dtrun-missing");
            Assert.Equal("RegistryCredentialHelperFailed", e.ErrorId);
            Assert.Equal("Credential helper failed: docker-credential-dtrun-missing (named in " + Config + ") was not found on PATH.", e.Message);
        }

        [Fact]
        public async Task AHelperThatDoesNotFinishIsEndedWithWhatItStarted()
        {
            // The child drops the run's marker (as a helper clearing its environment would): only the tree reaches it.
            string helper = CredentialHelperScripts.Install("dtrun-hang",
                "env -u " + HelperProcessMarker.Variable + " sleep 60 & echo $! > \"$0.child\"\nwait");
            try
            {
                FailureException e = Assert.Throws<FailureException>(() => new CredentialHelperRunner(TimeSpan.FromSeconds(0.5)).Get("dtrun-hang", "reg.example", Config));
                Assert.Equal("RegistryCredentialHelperTimeout", e.ErrorId);
                Assert.Equal(FailureCategory.OperationTimeout, e.Category);
                Assert.Matches("^Credential helper timed out: docker-credential-dtrun-hang get did not finish within 0\\.5 s and was stopped" + MaybeEndedToo, e.Message);
                Assert.True(await CredentialHelperScripts.GoneAsync(await CredentialHelperScripts.ChildOfAsync(helper)), "the helper's child survived");
            }
            finally
            {
                CredentialHelperScripts.KillChild(helper);   // only if the assertion above failed
            }
        }

        [Fact]
        public async Task AHelperThatExitsButLeavesAChildHoldingItsOutputTimesOut()
        {
            string helper = CredentialHelperScripts.Install("dtorphan",
                "sleep 60 & echo $! > \"$0.child\"\necho '{\"Username\":\"alice\",\"Secret\":\"pw\"}'\nexit 0");
            var store = new DockerCredentialStore(CredentialHelperScripts.WriteConfig("{\"credsStore\":\"dtorphan\"}"), TimeSpan.FromSeconds(1));
            try
            {
                var call = Task.Run(() => store.GetCredential("127.0.0.1:5000"));
                Assert.True(await Task.WhenAny(call, Task.Delay(CredentialHelperScripts.HangGuard)) == call, "the helper call hung on its child's stdout");
                var e = await Assert.ThrowsAsync<FailureException>(() => call);
                Assert.Equal("RegistryCredentialHelperTimeout", e.ErrorId);
                Assert.Equal(FailureCategory.OperationTimeout, e.Category);
                Assert.Equal("Credential helper timed out: docker-credential-dtorphan get did not finish within 1 s (it exited, but a process it "
                    + "started still held its output) and was stopped; 1 process(es) it had left running were ended too.", e.Message);
                // The orphan (re-parented when the helper exited) is beyond the helper's process tree, yet ended.
                Assert.True(await CredentialHelperScripts.GoneAsync(await CredentialHelperScripts.ChildOfAsync(helper)), "the helper's orphaned child survived");
            }
            finally
            {
                CredentialHelperScripts.KillChild(helper);   // only if the assertion above failed
            }
        }

        [Fact]
        public void AnOrphanWithoutTheMarkerIsBeyondReachAndTheMessageCountsNone()
        {
            // The documented limit: a left-behind child that dropped the marker is neither in the tree nor marked.
            string helper = CredentialHelperScripts.Install("dtrun-escaped",
                "env -u " + HelperProcessMarker.Variable + " sleep 60 & echo $! > \"$0.child\"\necho '{\"Username\":\"alice\",\"Secret\":\"pw\"}'\nexit 0");
            try
            {
                FailureException e = Assert.Throws<FailureException>(() => new CredentialHelperRunner(TimeSpan.FromSeconds(1)).Get("dtrun-escaped", "reg.example", Config));
                Assert.Equal("Credential helper timed out: docker-credential-dtrun-escaped get did not finish within 1 s (it exited, but a process it "
                    + "started still held its output) and was stopped.", e.Message);
            }
            finally
            {
                CredentialHelperScripts.KillChild(helper);
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
                int child = await CredentialHelperScripts.ChildOfAsync(helper);
                stop.Cancel();
                Assert.True(await Task.WhenAny(call, Task.Delay(CredentialHelperScripts.HangGuard)) == call, "the stop waited for the helper");
                var e = await Assert.ThrowsAsync<FailureException>(() => call);
                Assert.Equal("RegistryCredentialHelperStopped", e.ErrorId);
                Assert.Equal(FailureCategory.OperationStopped, e.Category);
                Assert.Matches("^Credential helper stopped: docker-credential-dtstop get was ended \\(with what it started\\) because the call was stopped" + MaybeEndedToo, e.Message);
                Assert.True(await CredentialHelperScripts.GoneAsync(child), "the helper's child process " + child + " survived the stop");
            }
        }
    }
}
