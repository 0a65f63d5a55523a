using System;
using System.Collections.Generic;

namespace DigestTools.Engine.Docker
{
    /// <summary>A local image as the engine lists or inspects it.</summary>
    public sealed class EngineImage
    {
        public string Id { get; set; }

        /// <summary>"repo:tag" entries as the engine writes them (Docker: familiar names; Podman: full names, sometimes repo@digest).</summary>
        public IReadOnlyList<string> RepoTags { get; set; } = new string[0];

        /// <summary>"repo@sha256:..." entries; accumulate over pulls. Empty for images never pulled from a registry.</summary>
        public IReadOnlyList<string> RepoDigests { get; set; } = new string[0];

        public string Os { get; set; }
        public string Architecture { get; set; }
        public string Variant { get; set; }
        public DateTime? Created { get; set; }
        public long Size { get; set; }

        /// <summary>"os/arch[/variant]" or null when the engine does not say.</summary>
        public string Platform => string.IsNullOrEmpty(Os) || string.IsNullOrEmpty(Architecture) ? null
            : Os + "/" + Architecture + (string.IsNullOrEmpty(Variant) ? "" : "/" + Variant);
    }
}
