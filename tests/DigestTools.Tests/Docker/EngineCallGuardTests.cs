using System;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using Docker.DotNet;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// The one place every engine request passes: its bound (deadline, or silence for a stream) and the
    /// translation of what the transport and parser throw into stable ErrorIds.
    /// </summary>
    public sealed class EngineCallGuardTests
    {
        private static readonly EngineEndpoint Endpoint = new EngineEndpoint(new Uri("tcp://127.0.0.1:1"), "-EngineUri");

        private static EngineCallGuard Guard(double seconds) => new EngineCallGuard(Endpoint, TimeSpan.FromSeconds(seconds));

        private static Exception NotCalled(DockerApiException e) => throw new InvalidOperationException("the engine-error mapping was not expected here");

        [Fact]
        public async Task ARequestThatNeverAnswersFailsWithEngineTimeoutAsADeadline()
        {
            var e = await Assert.ThrowsAsync<FailureException>(() => Guard(0.3).RunAsync<int>("list images",
                async w => { await Task.Delay(Timeout.Infinite, w.Token); return 0; }, NotCalled, CancellationToken.None));
            Assert.Equal("EngineTimeout", e.ErrorId);
            Assert.Equal(FailureCategory.OperationTimeout, e.Category);
            Assert.Equal("The engine at tcp://127.0.0.1:1 did not answer within 0.3 s when asked to list images (-TimeoutSec).", e.Message);
        }

        [Fact]
        public async Task AStreamThatKeepsReportingOutlivesTheTimeoutManyTimesOver()
        {
            // 5 s of steady progress under a 2 s timeout; a 1 s timeout failed once when the loaded suite starved the
            // thread pool for over a second between two 50 ms steps.
            int result = await Guard(2).RunAsync("pull x", async w =>
            {
                for (int i = 0; i < 100; i++)
                {
                    await Task.Delay(50, w.Token);
                    w.Kick();
                }
                return 42;
            }, NotCalled, CancellationToken.None);
            Assert.Equal(42, result);
        }

        [Fact]
        public async Task AStreamThatFallsSilentFailsWithEngineTimeoutForLackOfProgress()
        {
            var e = await Assert.ThrowsAsync<FailureException>(() => Guard(0.3).RunAsync<int>("pull x", async w =>
            {
                w.Kick();
                await Task.Delay(Timeout.Infinite, w.Token);
                return 0;
            }, NotCalled, CancellationToken.None));
            Assert.Equal("EngineTimeout", e.ErrorId);
            Assert.Equal("The engine at tcp://127.0.0.1:1 sent no progress for 0.3 s when asked to pull x (-TimeoutSec).", e.Message);
        }

        [Fact]
        public async Task ACallerStopStaysACancellationNotAnError()
        {
            using (var stop = new CancellationTokenSource())
            {
                Task<int> running = Guard(30).RunAsync<int>("list images", async w => { await Task.Delay(Timeout.Infinite, w.Token); return 0; }, NotCalled, stop.Token);
                stop.Cancel();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
            }
        }

        [Fact]
        public async Task AReplyThatIsNotJsonIsNotAContainerEngine()
        {
            var e = await Assert.ThrowsAsync<FailureException>(() => Guard(30).RunAsync<int>("create a container from r@sha256:1",
                _ => throw new JsonException("'<' is an invalid start of a value."), NotCalled, CancellationToken.None));
            Assert.Equal("NotAContainerEngine", e.ErrorId);
            Assert.Equal(FailureCategory.ProtocolError, e.Category);
            Assert.Equal("The address tcp://127.0.0.1:1 (from -EngineUri) did not answer like a container engine when asked to create a container from r@sha256:1: "
                + "its reply is not the engine API's JSON. Check -EngineUri, DOCKER_HOST and DOCKER_CONTEXT.", e.Message);
            Assert.DoesNotContain("invalid start", e.Message);
        }

        [Fact]
        public async Task AnUnparsableReplyIsRecognisedBehindWrappers()
        {
            var e = await Assert.ThrowsAsync<FailureException>(() => Guard(30).RunAsync<int>("list images",
                _ => throw new InvalidOperationException("wrapped", new JsonException("bad")), NotCalled, CancellationToken.None));
            Assert.Equal("NotAContainerEngine", e.ErrorId);
        }

        [Fact]
        public async Task AnErrorStatusOfTheEngineGoesToTheCallersMapping()
        {
            var mapped = new FailureException(ErrorCatalog.ContainerStartFailed, "mapped");
            var e = await Assert.ThrowsAsync<FailureException>(() => Guard(30).RunAsync<int>("start container 1",
                _ => throw new DockerApiException(HttpStatusCode.InternalServerError, "{\"message\":\"no\"}"), _ => mapped, CancellationToken.None));
            Assert.Same(mapped, e);
        }

        [Fact]
        public async Task ABrokenConnectionIsEngineUnreachable()
        {
            var e = await Assert.ThrowsAsync<FailureException>(() => Guard(30).RunAsync<int>("list images",
                _ => throw new HttpRequestException("Connection refused"), NotCalled, CancellationToken.None));
            Assert.Equal("EngineUnreachable", e.ErrorId);
            Assert.Equal(FailureCategory.ConnectionError, e.Category);
        }

        [Fact]
        public async Task AnyOtherErrorPassesUnchanged()
        {
            var bug = new InvalidOperationException("a bug, not the engine");
            Assert.Same(bug, await Assert.ThrowsAsync<InvalidOperationException>(() => Guard(30).RunAsync<int>("list images", _ => throw bug, NotCalled, CancellationToken.None)));
        }

        [Fact]
        public async Task AFailureFromANestedRequestPassesUnchanged()
        {
            var inner = new FailureException(ErrorCatalog.ContainerNotFound, "gone", new JsonException("x"));
            var e = await Assert.ThrowsAsync<FailureException>(() => Guard(30).RunAsync<int>("wait for container 1",
                _ => throw inner, NotCalled, CancellationToken.None));
            Assert.Same(inner, e);
        }

        [Fact]
        public async Task WorkTheRequestLeftRunningIsCancelledWhenItEnds()
        {
            CancellationToken left = default;
            await Guard(30).RunAsync("wait for container 1", w => { left = w.Token; return Task.FromResult(1); }, NotCalled, CancellationToken.None);
            Assert.True(left.IsCancellationRequested);
        }

        [Fact]
        public void AWatchdogKnowsWhetherItOrTheCallerStopped()
        {
            using (var caller = new CancellationTokenSource())
            using (var watchdog = new EngineWatchdog(TimeSpan.FromHours(1), caller.Token))
            {
                Assert.False(watchdog.Expired);
                Assert.False(watchdog.Streaming);
                watchdog.Kick();
                Assert.True(watchdog.Streaming);
                caller.Cancel();
                Assert.True(watchdog.Token.IsCancellationRequested);
                Assert.False(watchdog.Expired);
            }
        }

        [Fact]
        public void TheRunnerRefusesNoTimeoutButTheClientDoes()
        {
            ArgumentOutOfRangeException e = Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => EngineClient.ConnectAsync(Endpoint, TimeSpan.Zero, CancellationToken.None)).GetAwaiter().GetResult();
            Assert.Equal("timeout", e.ParamName);
            Assert.StartsWith("The engine timeout must be positive.", e.Message);
        }

        [Fact]
        public void EveryPullMessageIsAHeartbeatErrorsIncluded()
        {
            int beats = 0;
            var reader = new PullStreamReader(null, () => beats++);
            reader.Report(new Docker.DotNet.Models.JSONMessage { Status = "Downloading" });
            reader.Report(new Docker.DotNet.Models.JSONMessage { Error = new Docker.DotNet.Models.JSONError { Message = "boom" } });
            Assert.Equal(2, beats);
            Assert.Equal("boom", reader.Error);
        }
    }
}
