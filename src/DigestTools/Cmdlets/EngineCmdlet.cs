using System;
using System.Management.Automation;
using DigestTools.Engine.Docker;

namespace DigestTools
{
    /// <summary>
    /// Base of the cmdlets that talk to a container engine: -EngineUri, then DOCKER_HOST, DOCKER_CONTEXT,
    /// the platform default. The connection opens on first use, serves the whole call and is released
    /// however the call ends (Dispose runs on Ctrl+C and terminating errors too).
    /// </summary>
    public abstract class EngineCmdlet : DigestToolsCmdlet
    {
        private EngineSession _session;

        /// <summary>
        /// The engine to use: unix:///path/docker.sock, npipe://./pipe/docker_engine, tcp://host:2376.
        /// Wins over DOCKER_HOST and DOCKER_CONTEXT. Podman's Docker-compatible socket works too.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string EngineUri { get; set; }

        /// <summary>
        /// Seconds the engine may take to answer a request that does not stream (connect, inspect, create, start,
        /// remove). A pull or a log read is bounded by progress instead: it fails after this long without a message.
        /// -Wait checks the container every few seconds and fails when the engine stops answering.
        /// </summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 30;

        internal EngineClient Engine => (_session ?? (_session = new EngineSession(this, EngineUri, TimeSpan.FromSeconds(TimeoutSec)))).Client;

        protected override void ReleaseResources()
        {
            _session?.Dispose();
            _session = null;
        }
    }
}
