using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Registry.Authentication;
using DigestTools.Tests.Support;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// SafeRedirectHandler's rules against scripted answers (AuthRedirectTests runs the common cases against the real
    /// registry): which status codes are followed, the method after a 303, what a followed request keeps, which
    /// scheme changes are refused, the limit, and the -Verbose line of each hop.
    /// </summary>
    public sealed class AuthRedirectRulesTests
    {
        private readonly List<HttpRequestMessage> _sent = new List<HttpRequestMessage>();
        private readonly List<string> _verbose = new List<string>();
        private readonly List<string> _bodies = new List<string>();

        private static HttpResponseMessage Redirect(int status, string location)
        {
            var response = new HttpResponseMessage((HttpStatusCode)status);
            response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
            return response;
        }

        // The first request gets `first`; every later one 200 OK.
        private Task<HttpResponseMessage> Send(HttpRequestMessage request, Func<HttpRequestMessage, HttpResponseMessage> answer)
        {
            var handler = new SafeRedirectHandler(_verbose.Add)
            {
                InnerHandler = new ScriptedHandler(r => { _sent.Add(r); _bodies.Add(BodyAsSent(r)); return answer(r); }),
            };
            return new HttpMessageInvoker(handler).SendAsync(request, CancellationToken.None);
        }

        // The body as the transport sends it (its content type, then the bytes as text; null: no body). CopyToAsync, not
        // ReadAsStringAsync: like the socket handler it does not buffer the content, so a stream is read once.
        private static string BodyAsSent(HttpRequestMessage request)
        {
            if (request.Content == null) return null;
            using (var sent = new MemoryStream())
            {
                request.Content.CopyToAsync(sent).GetAwaiter().GetResult();
                return request.Content.Headers.ContentType + " " + Encoding.UTF8.GetString(sent.ToArray());
            }
        }

        private static HttpRequestMessage Form(string method, string uri)
            => new HttpRequestMessage(new HttpMethod(method), uri) { Content = new StringContent("grant_type=refresh_token", Encoding.UTF8, "application/x-www-form-urlencoded") };

        private Task<HttpResponseMessage> SendOnce(HttpRequestMessage request, HttpResponseMessage first)
            => Send(request, r => _sent.Count == 1 ? first : new HttpResponseMessage(HttpStatusCode.OK));

        [Theory]
        [InlineData(301)]
        [InlineData(302)]
        [InlineData(303)]
        [InlineData(307)]
        [InlineData(308)]
        public async Task EveryRedirectStatusIsFollowedToARelativeLocation(int status)
        {
            var response = await SendOnce(new HttpRequestMessage(HttpMethod.Get, "http://reg.example/v2/a/manifests/v1"), Redirect(status, "/v2/b/manifests/v1"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(new[] { "http://reg.example/v2/a/manifests/v1", "http://reg.example/v2/b/manifests/v1" }, _sent.Select(r => r.RequestUri.AbsoluteUri));
        }

        [Theory]
        [InlineData(300)]
        [InlineData(304)]
        [InlineData(305)]
        public async Task OtherThreeHundredsAreAnswersNotRedirects(int status)
        {
            var response = await SendOnce(new HttpRequestMessage(HttpMethod.Get, "http://reg.example/v2/a/manifests/v1"), Redirect(status, "/elsewhere"));
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Single(_sent);
        }

        [Fact]
        public async Task ARedirectWithoutALocationIsTheAnswer()
        {
            var response = await SendOnce(new HttpRequestMessage(HttpMethod.Get, "http://reg.example/v2/"), new HttpResponseMessage(HttpStatusCode.Found));
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            Assert.Single(_sent);
        }

        [Theory]
        [InlineData("POST", 301, "GET")]
        [InlineData("POST", 302, "GET")]
        [InlineData("POST", 303, "GET")]
        [InlineData("PUT", 303, "GET")]
        [InlineData("HEAD", 303, "HEAD")]
        [InlineData("HEAD", 301, "HEAD")]
        [InlineData("PUT", 301, "PUT")]
        [InlineData("PUT", 302, "PUT")]
        [InlineData("POST", 307, "POST")]
        [InlineData("POST", 308, "POST")]
        [InlineData("PUT", 307, "PUT")]
        public async Task TheMethodAndBodyAfterARedirectFollowHttpClientsRules(string method, int status, string followedWith)
        {
            // As HttpClient: 303 continues as GET but after HEAD, 301 and 302 turn only a POST into GET; a GET goes without
            // the body, a kept method with it (a 307/308 token grant must arrive with its form).
            var request = Form(method, "http://reg.example/v2/token");
            await SendOnce(request, Redirect(status, "http://reg.example/token2"));
            Assert.Equal(followedWith, _sent[1].Method.Method);
            Assert.Equal(followedWith == method ? "application/x-www-form-urlencoded; charset=utf-8 grant_type=refresh_token" : null, _bodies[1]);
        }

        [Fact]
        public async Task AStreamedBodyIsSentAgainAfterA307()
        {
            // A stream can be read once; the handler buffers it before the first send so the redirect can repeat it.
            var request = new HttpRequestMessage(HttpMethod.Post, "http://reg.example/token") { Content = new StreamContent(new ReadOnceStream(Encoding.UTF8.GetBytes("a=1"))) };
            var response = await SendOnce(request, Redirect(307, "/token?moved=1"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(new[] { " a=1", " a=1" }, _bodies);
        }

        [Theory]
        [InlineData("POST", 307, "http://other.example/token")]
        [InlineData("POST", 308, "https://reg.example/token")]
        [InlineData("PUT", 301, "http://reg.example:8080/token")]
        public async Task ABodyIsNeverSentAgainToAnotherOrigin(string method, int status, string location)
        {
            var e = await Assert.ThrowsAsync<FailureException>(() => SendOnce(Form(method, "http://reg.example/token"), Redirect(status, location)));
            Assert.Same(ErrorCatalog.RegistryInsecureRedirect, e.Kind);
            Assert.Equal("reg.example redirected " + method + " /token to " + new Uri(location).Authority + ", another origin; a request body (it may hold a credential)"
                + " is sent again only to the same scheme, host and port.", e.Message);
            Assert.Single(_sent);
        }

        [Fact]
        public async Task APostTurnedIntoAGetMayGoToAnotherOrigin()
        {
            var response = await SendOnce(Form("POST", "http://reg.example/token"), Redirect(303, "http://other.example/done"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("GET http://other.example/done", _sent[1].Method + " " + _sent[1].RequestUri);
            Assert.Null(_bodies[1]);
        }

        [Fact]
        public async Task AnotherOriginGetsNeitherAuthorizationNorCookieButTheOtherHeaders()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "http://reg.example:5000/v2/a/blobs/sha256:ab");
            request.Headers.TryAddWithoutValidation("Authorization", "Basic YTpi");
            request.Headers.TryAddWithoutValidation("Cookie", "session=1");
            request.Headers.TryAddWithoutValidation("Accept", "application/octet-stream");
            await SendOnce(request, Redirect(307, "https://cdn.example/blob/ab"));
            HttpRequestMessage followed = _sent[1];
            Assert.Null(followed.Headers.Authorization);
            Assert.False(followed.Headers.Contains("Cookie"));
            Assert.Equal("application/octet-stream", followed.Headers.Accept.Single().MediaType);
            Assert.Equal(new[] { "Following a redirect from reg.example:5000 to cdn.example (without credentials)" }, _verbose);
        }

        [Fact]
        public async Task TheSameOriginKeepsEveryHeader()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "http://reg.example:5000/v2/a/manifests/old");
            request.Headers.TryAddWithoutValidation("Authorization", "Basic YTpi");
            request.Headers.TryAddWithoutValidation("Cookie", "session=1");
            await SendOnce(request, Redirect(301, "http://REG.example:5000/v2/a/manifests/new"));
            HttpRequestMessage followed = _sent[1];
            Assert.Equal("Basic YTpi", followed.Headers.Authorization.ToString());
            Assert.Equal("session=1", followed.Headers.GetValues("Cookie").Single());
            Assert.Equal(new[] { "Following a redirect from reg.example:5000 to reg.example:5000" }, _verbose);
        }

        [Fact]
        public async Task ARequestWithoutCredentialsIsNotSaidToLoseThem()
        {
            await SendOnce(new HttpRequestMessage(HttpMethod.Get, "http://reg.example/v2/a/blobs/sha256:ab"), Redirect(302, "http://cdn.example:8080/ab"));
            Assert.Equal(new[] { "Following a redirect from reg.example to cdn.example:8080" }, _verbose);
        }

        [Fact]
        public async Task AFollowedRequestKeepsTheVersionAndThePropertiesOfTheFirst()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "http://reg.example/v2/a/manifests/v1") { Version = new Version(2, 0) };
#pragma warning disable CS0618 // Properties: the per-request bag of netstandard2.0 (RetryHandler.MarkRetryable uses it)
            request.Properties["marker"] = 7;
            await SendOnce(request, Redirect(302, "http://cdn.example/x"));
            Assert.Equal(7, _sent[1].Properties["marker"]);
#pragma warning restore CS0618
            Assert.Equal(new Version(2, 0), _sent[1].Version);
        }

        [Fact]
        public async Task TheCallersRequestIsStillItsOwnAfterARedirect()
        {
            // The handlers above re-send the caller's request (a challenge answered, a retry): a redirect must not dispose it.
            var request = new HttpRequestMessage(HttpMethod.Put, "http://reg.example/v2/a/manifests/v1") { Content = new StringContent("{}") };
            await SendOnce(request, Redirect(307, "http://reg.example/v2/a/manifests/v2"));
            Assert.Equal("{}", await request.Content.ReadAsStringAsync());
        }

        [Fact]
        public async Task HttpsIsNeverRedirectedToPlainHttp()
        {
            var e = await Assert.ThrowsAsync<FailureException>(() => SendOnce(
                new HttpRequestMessage(HttpMethod.Get, "https://reg.example/v2/a/manifests/v1"), Redirect(302, "http://cdn.example:8080/x")));
            Assert.Same(ErrorCatalog.RegistryInsecureRedirect, e.Kind);
            Assert.Equal("reg.example redirected /v2/a/manifests/v1 to a http URL on cdn.example:8080; only https (or http from an http registry) is followed.", e.Message);
            Assert.Single(_sent);
        }

        [Theory]
        [InlineData("http://reg.example/v2/", "ftp://mirror.example/x", "reg.example redirected /v2/ to a ftp URL on mirror.example;")]
        [InlineData("https://reg.example:8443/v2/", "ftp://mirror.example:2121/x", "reg.example:8443 redirected /v2/ to a ftp URL on mirror.example:2121;")]
        public async Task ANonHttpTargetIsRefused(string from, string location, string start)
        {
            var e = await Assert.ThrowsAsync<FailureException>(() => SendOnce(new HttpRequestMessage(HttpMethod.Get, from), Redirect(302, location)));
            Assert.Same(ErrorCatalog.RegistryInsecureRedirect, e.Kind);
            Assert.Equal(start + " only https (or http from an http registry) is followed.", e.Message);
        }

        [Fact]
        public async Task PlainHttpMayMoveToHttps()
        {
            var response = await SendOnce(new HttpRequestMessage(HttpMethod.Get, "http://reg.example/v2/"), Redirect(301, "https://reg.example/v2/"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("https://reg.example/v2/", _sent[1].RequestUri.AbsoluteUri);
        }

        [Fact]
        public async Task TheSixthRedirectInARowStopsTheRequest()
        {
            // Each hop names the next host, so the message names the last one that redirected.
            var e = await Assert.ThrowsAsync<FailureException>(() => Send(new HttpRequestMessage(HttpMethod.Get, "http://h0.example/v2/a/manifests/v1"),
                r => Redirect(302, "http://h" + _sent.Count + ".example/next")));
            Assert.Same(ErrorCatalog.RegistryTooManyRedirects, e.Kind);
            Assert.Equal("h5.example redirected more than 5 times for /v2/a/manifests/v1.", e.Message);
            Assert.Equal(SafeRedirectHandler.MaxRedirects + 1, _sent.Count);
        }

        [Fact]
        public async Task FiveRedirectsInARowAreFollowed()
        {
            var response = await Send(new HttpRequestMessage(HttpMethod.Get, "http://h0.example/v2/"),
                r => _sent.Count <= SafeRedirectHandler.MaxRedirects ? Redirect(307, "/again") : new HttpResponseMessage(HttpStatusCode.OK));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(SafeRedirectHandler.MaxRedirects + 1, _sent.Count);
        }

        /// <summary>A stream that cannot seek, like a network or pipe stream: its content can be read once.</summary>
        private sealed class ReadOnceStream : MemoryStream
        {
            public ReadOnceStream(byte[] bytes) : base(bytes) { }
            public override bool CanSeek => false;
        }
    }
}
