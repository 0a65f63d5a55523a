namespace DigestTools.Engine.PinFiles
{
    /// <summary>Where an image reference was found in a file.</summary>
    public enum ImageSiteKind
    {
        DockerfileFrom,
        DockerfileCopyFrom,
        DockerfileMountFrom,
        ComposeImage,
        KubernetesContainer,
    }

    /// <summary>
    /// One image reference in a file: the exact characters that name it (Offset/Length into the decoded text,
    /// ByteOffset/ByteLength into the file), what it resolves to once variables take their defaults, and why
    /// it cannot be pinned when it cannot.
    /// </summary>
    public sealed class ImageSite
    {
        public ImageSiteKind Kind { get; set; }

        /// <summary>The reference as written in the file (variables unexpanded).</summary>
        public string Text { get; set; }

        /// <summary>The reference after variables took their defaults; null when one has no value.</summary>
        public string Reference { get; set; }

        /// <summary>The platform the file asks for (FROM --platform, a service's platform), when concrete.</summary>
        public string Platform { get; set; }

        /// <summary>Where it sits, e.g. "FROM (stage build)", "service web", "Deployment/api container app".</summary>
        public string Context { get; set; }

        /// <summary>Why the reference cannot be pinned as written; null when it can.</summary>
        public string SkipReason { get; set; }

        public int Offset { get; set; }
        public int Length { get; set; }
        public int Line { get; set; }
        public int Column { get; set; }
        public long ByteOffset { get; set; }
        public int ByteLength { get; set; }
    }
}
