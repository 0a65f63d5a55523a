using System;
using System.Collections.Generic;
using System.Linq;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Fleet;

namespace DigestTools
{
    /// <summary>
    /// Several -EngineUri addresses, connected once per cmdlet call on first use. An engine that cannot be
    /// reached (or whose address is invalid) writes one error naming it and is left out; the call stops only
    /// when no engine at all answers.
    /// </summary>
    internal sealed class FleetSession : IDisposable
    {
        private readonly DigestToolsCmdlet _cmdlet;
        private readonly string[] _addresses;
        private readonly TimeSpan _timeout;
        private EngineFleet _fleet;

        /// <param name="timeout">-TimeoutSec: the bound on each engine request, and on the silence of a streaming one.</param>
        internal FleetSession(DigestToolsCmdlet cmdlet, string[] addresses, TimeSpan timeout)
        {
            _cmdlet = cmdlet;
            _addresses = addresses;
            _timeout = timeout;
        }

        internal EngineFleet Fleet
        {
            get
            {
                if (_fleet != null) return _fleet;
                var endpoints = new List<(string, EngineEndpoint)>();
                var invalid = new List<FailureException>();
                foreach (string address in _addresses)
                {
                    try { endpoints.Add((address, new EngineEndpointResolver().Resolve(address))); }
                    catch (FailureException e) { _cmdlet.WriteError(ErrorRecords.From(e, address)); invalid.Add(e); }
                }
                _cmdlet.WriteVerbose($"Connecting to {endpoints.Count} engines at once: {string.Join(", ", endpoints.Select(e => e.Item1))}.");
                _fleet = _cmdlet.Run(ct => EngineFleet.ConnectAsync(endpoints, _timeout, ct));
                foreach (FleetEngine engine in _fleet.Engines)
                {
                    if (engine.IsConnected) _cmdlet.WriteVerbose($"Engine {engine.Address}: {engine.Client.Product}, API {engine.Client.ApiVersion} negotiated.");
                    else _cmdlet.WriteError(ErrorRecords.From(engine.Failure, engine.Address));
                }
                if (!_fleet.Connected.Any())
                {
                    FailureException first = _fleet.Engines.FirstOrDefault()?.Failure ?? invalid.First();
                    _cmdlet.ThrowTerminatingError(ErrorRecords.For(first.Kind, $"None of the {_addresses.Length} engines can be used: {first.Message}", string.Join(", ", _addresses), first));
                }
                return _fleet;
            }
        }

        public void Dispose() => _fleet?.Dispose();
    }
}
