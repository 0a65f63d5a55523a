using System;
using Docker.DotNet.Models;

namespace DigestTools.Engine.Docker
{
    /// <summary>
    /// Reads the pull's JSON message stream as it arrives (synchronously, so order is kept): forwards
    /// progress, remembers the first error and the "Digest: sha256:..." line Docker writes at the end.
    /// </summary>
    internal sealed class PullStreamReader : IProgress<JSONMessage>
    {
        private const string DigestPrefix = "Digest: ";
        private readonly Action<ImagePullProgress> _progress;
        private readonly Action _heartbeat;

        /// <param name="heartbeat">Called for every message, errors included: the stream is alive.</param>
        internal PullStreamReader(Action<ImagePullProgress> progress, Action heartbeat = null)
        {
            _progress = progress;
            _heartbeat = heartbeat;
        }

        /// <summary>The first error message in the stream, or null.</summary>
        internal string Error { get; private set; }
        internal string Digest { get; private set; }
        internal string LastId { get; private set; }

        public void Report(JSONMessage message)
        {
            _heartbeat?.Invoke();
            Observe(message?.Error?.Message, message?.Status, message?.ID,
                message?.Progress?.Current, message?.Progress?.Total);
        }

        /// <summary>The logic of Report, free of Docker.DotNet types for tests.</summary>
        internal void Observe(string error, string status, string id, long? current, long? total)
        {
            if (!string.IsNullOrEmpty(error))
            {
                if (Error == null) Error = error;
                return;
            }
            if (!string.IsNullOrEmpty(id)) LastId = id;
            if (status != null && status.StartsWith(DigestPrefix, StringComparison.Ordinal))
                Digest = status.Substring(DigestPrefix.Length).Trim();
            _progress?.Invoke(new ImagePullProgress { Id = id, Status = status, Current = current, Total = total });
        }
    }
}
