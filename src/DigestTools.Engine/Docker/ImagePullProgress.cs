namespace DigestTools.Engine.Docker
{
    /// <summary>One message of the pull's JSON stream, reduced to what progress display needs.</summary>
    public sealed class ImagePullProgress
    {
        /// <summary>Layer id (short digest) or the tag for whole-image messages; may be null.</summary>
        public string Id { get; set; }

        /// <summary>"Downloading", "Extracting", "Pull complete", "Digest: sha256:..."...</summary>
        public string Status { get; set; }

        public long? Current { get; set; }
        public long? Total { get; set; }
    }
}
