using System;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;

namespace DigestTools
{
    /// <summary>
    /// One engine connection per cmdlet call, opened on first use (so -WhatIf and bad input never need an
    /// engine) at the negotiated API version. Shared by EngineCmdlet and Get-ImageDigest -Local.
    /// </summary>
    internal sealed class EngineSession : IDisposable
    {
        private readonly DigestToolsCmdlet _cmdlet;
        private readonly string _explicitAddress;
        private readonly TimeSpan _timeout;
        private EngineClient _client;

        /// <param name="timeout">-TimeoutSec: the bound on each engine request, and on the silence of a streaming one.</param>
        internal EngineSession(DigestToolsCmdlet cmdlet, string explicitAddress, TimeSpan timeout)
        {
            _cmdlet = cmdlet;
            _explicitAddress = explicitAddress;
            _timeout = timeout;
        }

        /// <summary>The connected client; a failure to connect stops the cmdlet (it concerns every input).</summary>
        internal EngineClient Client
        {
            get
            {
                if (_client != null) return _client;
                EngineEndpoint endpoint = null;
                try
                {
                    endpoint = new EngineEndpointResolver().Resolve(_explicitAddress);
                    _cmdlet.WriteVerbose($"Connecting to the engine at {endpoint.Address.OriginalString} (from {endpoint.Source}).");
                    _client = _cmdlet.Run(ct => EngineClient.ConnectAsync(endpoint, _timeout, ct));
                    _cmdlet.WriteVerbose($"Engine: {_client.Product}, API {_client.ApiVersion} negotiated.");
                }
                catch (FailureException e)
                {
                    // The endpoint tried is what the user needs to see (DOCKER_HOST may have chosen it).
                    _cmdlet.ThrowTerminatingError(ErrorRecords.From(e, endpoint?.Address.OriginalString ?? _explicitAddress));
                }
                return _client;
            }
        }

        public void Dispose() => _client?.Dispose();
    }
}
