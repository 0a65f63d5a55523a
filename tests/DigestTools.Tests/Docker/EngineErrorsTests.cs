using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using Docker.DotNet;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>The words and ids of engine failures, each message exact: they are what a runbook's log shows.</summary>
    public sealed class EngineErrorsTests
    {
        private static readonly EngineEndpoint Tcp = new EngineEndpoint(new Uri("tcp://127.0.0.1:2375"), "DOCKER_HOST");

        [Fact]
        public void UnreachableOverTcpQuotesTheInnermostCause()
        {
            var e = EngineErrors.Unreachable(Tcp, new HttpRequestException("outer", new SocketException((int)SocketError.ConnectionRefused)));
            Assert.Equal(ErrorCatalog.EngineUnreachable, e.Kind);
            Assert.Equal("No container engine answered at tcp://127.0.0.1:2375 (from DOCKER_HOST): " + new SocketException((int)SocketError.ConnectionRefused).Message, e.Message);
        }

        [Fact]
        public void UnreachableAtAMissingUnixSocketSaysSo()
        {
            string path = "/tmp/dt-no-such-" + Guid.NewGuid().ToString("n") + ".sock";
            var e = EngineErrors.Unreachable(new EngineEndpoint(new Uri("unix://" + path), "-EngineUri"), new HttpRequestException("Cannot assign requested address"));
            Assert.Equal($"No container engine answered at unix://{path} (from -EngineUri): no engine socket at {path}.", e.Message);
        }

        [Fact]
        public void UnreachableAtAUnixSocketThatExistsQuotesTheCause()
        {
            string path = System.IO.Path.GetTempFileName();
            try
            {
                var e = EngineErrors.Unreachable(new EngineEndpoint(new Uri("unix://" + path), "-EngineUri"), new HttpRequestException("Connection refused"));
                Assert.EndsWith("(from -EngineUri): Connection refused", e.Message);
            }
            finally { System.IO.File.Delete(path); }
        }

        [Theory]
        [InlineData("Client sent an HTTP request to an HTTPS server.", 400, "it answered HTTP 400 (Client sent an HTTP request to an HTTPS server.)")]
        [InlineData("{\"message\":\"page not found\"}", 404, "it answered HTTP 404 (page not found)")]
        [InlineData("<html><body>Not Found</body></html>", 404, "it answered HTTP 404")]
        [InlineData("line one\nline two", 502, "it answered HTTP 502")]
        [InlineData("   ", 403, "it answered HTTP 403")]
        public void NotAnEngineQuotesOnlyAShortPlainAnswer(string body, int status, string expected)
        {
            var e = EngineErrors.NotAnEngine(Tcp, "report its version", new DockerApiException((HttpStatusCode)status, body));
            Assert.Equal(ErrorCatalog.NotAContainerEngine, e.Kind);
            Assert.Equal("The address tcp://127.0.0.1:2375 (from DOCKER_HOST) did not answer like a container engine when asked to report its version: "
                + expected + ". Check -EngineUri, DOCKER_HOST and DOCKER_CONTEXT.", e.Message);
        }

        [Fact]
        public void NotAnEngineLeavesOutALongAnswer()
        {
            var e = EngineErrors.NotAnEngine(Tcp, "list images", new DockerApiException(HttpStatusCode.BadGateway, new string('x', 201)));
            Assert.Contains(": it answered HTTP 502. Check", e.Message);
            var fits = EngineErrors.NotAnEngine(Tcp, "list images", new DockerApiException(HttpStatusCode.BadGateway, new string('x', 200)));
            Assert.Contains(": it answered HTTP 502 (" + new string('x', 200) + "). Check", fits.Message);
        }

        [Theory]
        [InlineData("web", true, "The address tcp://127.0.0.1:2375 (from DOCKER_HOST) did not answer like a container engine when asked to create web: its reply named container 0123456789ab, which is not the container this create made, so the reply cannot be trusted.")]
        [InlineData(null, false, "The address tcp://127.0.0.1:2375 (from DOCKER_HOST) did not answer like a container engine when asked to create a container: its reply named container 0123456789ab, which the engine does not have, so the reply cannot be trusted.")]
        public void ACreateReplyNamingAnotherContainerIsNotAContainerEngineAndSaysWhichCase(string name, bool exists, string expected)
        {
            var e = EngineErrors.ReplyNamedAnotherContainer(Tcp, name, "0123456789abcdef", exists);
            Assert.Equal(ErrorCatalog.NotAContainerEngine, e.Kind);
            Assert.Equal(expected, e.Message);
        }

        [Fact]
        public void NotAnEngineWithoutACauseSaysTheReplyLacksWhatEngineSends()
            => Assert.Contains("when asked to report its version: its reply lacks what every engine sends. Check", EngineErrors.NotAnEngine(Tcp, "report its version", null).Message);

        [Fact]
        public void AContainerGoneIsNamedByItsShortId()
        {
            var e = EngineErrors.ContainerGone(new string('f', 64), "while the call waited for it to exit");
            Assert.Equal(ErrorCatalog.ContainerNotFound, e.Kind);
            Assert.Equal("Container ffffffffffff was removed by someone else while the call waited for it to exit; it has no result to report.", e.Message);
            Assert.Equal("abc", EngineErrors.Short("abc"));
            Assert.Equal("(unknown)", EngineErrors.Short(null));
        }

        [Fact]
        public void ConnectionFailuresAreFoundBehindWrappersAndAloneInAggregates()
        {
            Assert.True(EngineErrors.IsConnectionFailure(new InvalidOperationException("x", new SocketException())));
            Assert.True(EngineErrors.IsConnectionFailure(new AggregateException(new InvalidOperationException("y", new System.IO.IOException()))));
            Assert.True(EngineErrors.IsConnectionFailure(new TimeoutException()));
            Assert.True(EngineErrors.IsConnectionFailure(new System.Security.Authentication.AuthenticationException()));
            Assert.False(EngineErrors.IsConnectionFailure(new InvalidOperationException("z")));
            Assert.False(EngineErrors.IsConnectionFailure(new AggregateException(new InvalidOperationException("a"))));
        }

        [Theory]
        [InlineData("unauthorized: access to the requested resource is not authorized", "RegistryAuthenticationFailed")]
        [InlineData("authentication required", "RegistryAuthenticationFailed")]
        [InlineData("no basic auth credentials", "RegistryAuthenticationFailed")]
        [InlineData("Get https://r/v2/: access denied", "RegistryAuthenticationFailed")]
        [InlineData("toomanyrequests: slow down", "PullFailed")]
        public void PullFailuresAreClassifiedByTheirWords(string message, string id)
            => Assert.Equal(id, EngineErrors.PullFailed("r/x:1", message).ErrorId);

        [Fact]
        public void PullFailureMessagesSayWhatWasPulled()
        {
            Assert.Equal("The registry refused the engine's pull of r/x:1 (credentials missing or wrong): unauthorized", EngineErrors.PullFailed("r/x:1", "unauthorized").Message);
            Assert.Equal("The engine failed to pull r/x:1: disk full", EngineErrors.PullFailed("r/x:1", "disk full").Message);
            Assert.Equal("The engine failed to pull r/x:1: the engine reported an unspecified error", EngineErrors.PullFailed("r/x:1", null).Message);
        }

        [Theory]
        [InlineData("{\"message\":\"No such container: x\"}", "No such container: x")]
        [InlineData("{\"message\":42}", "{\"message\":42}")]
        [InlineData("[\"message\"]", "[\"message\"]")]
        [InlineData("  plain text  ", "plain text")]
        [InlineData("", "Conflict")]
        public void TheEnginesMessageIsTheMessageFieldOrTheBody(string body, string expected)
            => Assert.Equal(expected, EngineErrors.Message(new DockerApiException(HttpStatusCode.Conflict, body)));

        [Theory]
        [InlineData(404, "{\"message\":\"No such container: x\"}", true)]
        [InlineData(500, "{\"message\":\"no container with name or ID \\\"x\\\" found: no such container\"}", true)]
        [InlineData(500, "{\"message\":\"container x has already been removed\"}", true)]
        [InlineData(500, "{\"message\":\"disk full\"}", false)]
        public void AContainerInTheMiddleOfItsRemovalIsGone(int status, string body, bool gone)
            => Assert.Equal(gone, EngineErrors.IsContainerGone(new DockerApiException((HttpStatusCode)status, body)));

        [Fact]
        public void OnlyA404IsNotFound()
        {
            Assert.True(EngineErrors.IsNotFound(new DockerApiException(HttpStatusCode.NotFound, "")));
            Assert.False(EngineErrors.IsNotFound(new DockerApiException(HttpStatusCode.InternalServerError, "")));
        }

        [Fact]
        public void AnErrorInThePullStreamIsNotProgressAndAnEmptyIdKeepsTheLastOne()
        {
            var seen = new List<ImagePullProgress>();
            var reader = new PullStreamReader(seen.Add);
            reader.Observe(null, "Downloading", "layer1", 1, 2);
            reader.Observe(null, "Waiting", "", null, null);
            reader.Observe("boom", "Failed", "layer2", null, null);
            Assert.Equal("layer1", reader.LastId);
            Assert.Equal(2, seen.Count);
            Assert.Equal("boom", reader.Error);
        }

        [Theory]
        [InlineData("on-failure:0", "on-failure", 0)]
        [InlineData("On-Failure:5", "on-failure", 5)]
        [InlineData(" always ", "always", 0)]
        public void RestartPoliciesParseAtTheirBounds(string text, string name, long retries)
        {
            RestartPolicySpec spec = RestartPolicySpec.Parse(text);
            Assert.Equal((name, retries), (spec.Name, spec.MaximumRetryCount));
        }

        [Fact]
        public void AnInvalidRestartPolicySaysWhatIsAllowed()
        {
            var e = Assert.Throws<FailureException>(() => RestartPolicySpec.Parse("on-failure:-1"));
            Assert.Equal(ErrorCatalog.InvalidRestartPolicy, e.Kind);
            Assert.Equal("The restart policy 'on-failure:-1' is invalid: use no, always, unless-stopped or on-failure[:max-retries].", e.Message);
        }

        [Theory]
        [InlineData("1.45", "1.45", "1.45")]
        [InlineData("1.40", null, "1.40")]
        [InlineData("1.47", "1.24", "1.45")]
        public void TheNegotiatedVersionMayEqualEitherBound(string daemon, string minimum, string expected)
            => Assert.Equal(Version.Parse(expected), EngineApiVersion.Negotiate(daemon, minimum, "x"));

        [Fact]
        public void VersionRefusalsSayWhy()
        {
            Assert.Equal("The engine at tcp://h did not report a usable API version ('abc').",
                Assert.Throws<FailureException>(() => EngineApiVersion.Negotiate("abc", null, "tcp://h")).Message);
            Assert.Equal("The engine at tcp://h requires API 1.46 or newer; DigestTools speaks up to 1.45.",
                Assert.Throws<FailureException>(() => EngineApiVersion.Negotiate("1.47", "1.46", "tcp://h")).Message);
        }
    }
}
