using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace DigestTools.Tests.Support
{
    /// <summary>
    /// The inner handler of a handler under test, answering each request with a function of it: for the answers a real
    /// registry will not give on demand (a scheme it does not speak, any redirect code, an exception).
    /// </summary>
    public sealed class ScriptedHandler : HttpMessageHandler
    {
        private readonly Func<HttpRequestMessage, HttpResponseMessage> _answer;

        public ScriptedHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) => _answer = answer;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(_answer(request));
    }
}
