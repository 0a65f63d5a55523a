using System.Collections.Generic;

namespace DigestTools.Engine.Docker
{
    /// <summary>A container as the engine inspects it.</summary>
    public sealed class EngineContainer
    {
        public string Id { get; set; }

        /// <summary>Without the leading '/' Docker puts there.</summary>
        public string Name { get; set; }

        /// <summary>Config.Image: the reference the container was created from, exactly as given.</summary>
        public string ConfiguredImage { get; set; }

        /// <summary>The image id the container runs.</summary>
        public string ImageId { get; set; }

        /// <summary>"created", "running", "exited"...</summary>
        public string State { get; set; }
        public long? ExitCode { get; set; }
        public IReadOnlyDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();
    }
}
