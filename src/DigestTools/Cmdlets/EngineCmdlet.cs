using System;
using System.Management.Automation;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Fleet;

namespace DigestTools
{
    /// <summary>
    /// Base of the cmdlets that talk to a container engine: -EngineUri, then DOCKER_HOST, DOCKER_CONTEXT,
    /// the platform default. The connection opens on first use, serves the whole call and is released
    /// however the call ends (Dispose runs on Ctrl+C and terminating errors too). Cmdlets that work on many
    /// engines at once (AcceptsManyEngines) use Fleet when several addresses are given.
    /// </summary>
    public abstract class EngineCmdlet : DigestToolsCmdlet
    {
        private EngineSession _session;
        private FleetSession _fleet;

        /// <summary>
        /// The engine to use: unix:///path/docker.sock, npipe://./pipe/docker_engine, tcp://host:2376.
        /// Wins over DOCKER_HOST and DOCKER_CONTEXT. Podman's Docker-compatible socket works too.
        /// Several addresses only where the cmdlet works on many engines at once.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] EngineUri { get; set; }

        /// <summary>
        /// Seconds the engine may take to answer a request that does not stream (connect, inspect, create, start,
        /// remove). A pull or a log read is bounded by progress instead: it fails after this long without a message.
        /// -Wait checks the container every few seconds and fails when the engine stops answering.
        /// </summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 30;

        /// <summary>True for the cmdlets that run the same work on every engine of a list.</summary>
        internal virtual bool AcceptsManyEngines => false;

        /// <summary>Several -EngineUri addresses were given.</summary>
        internal bool ManyEngines => EngineUri != null && EngineUri.Length > 1;

        internal EngineClient Engine
        {
            get
            {
                if (ManyEngines)
                    ThrowTerminatingError(ErrorRecords.For(ErrorCatalog.InvalidEngineUri,
                        $"{MyInvocation.MyCommand.Name} works on one engine; {EngineUri.Length} -EngineUri addresses were given.", string.Join(", ", EngineUri)));
                return (_session ?? (_session = new EngineSession(this, EngineUri?[0], TimeSpan.FromSeconds(TimeoutSec)))).Client;
            }
        }

        /// <summary>Every -EngineUri engine, connected at once on first use (AcceptsManyEngines cmdlets only).</summary>
        internal EngineFleet Fleet => (_fleet ?? (_fleet = new FleetSession(this, EngineUri, TimeSpan.FromSeconds(TimeoutSec)))).Fleet;

        /// <summary>A failure for one input is an error and the pipeline goes on; an unreachable engine stops the command.</summary>
        internal void WriteFailure(FailureException e, object target)
        {
            if (e.Kind == ErrorCatalog.EngineUnreachable) ThrowTerminatingError(ErrorRecords.From(e, Engine.Endpoint.Address.OriginalString));
            WriteError(ErrorRecords.From(e, target));
        }

        protected override void ReleaseResources()
        {
            _session?.Dispose();
            _session = null;
            _fleet?.Dispose();
            _fleet = null;
        }
    }
}
