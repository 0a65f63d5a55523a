namespace DigestTools.Engine.Docker
{
    /// <summary>What the pull stream said about the result.</summary>
    public sealed class ImagePullOutcome
    {
        /// <summary>The "Digest: sha256:..." status Docker writes at the end; null when the engine (Podman) writes none.</summary>
        public string StreamDigest { get; set; }

        /// <summary>The image id Podman reports as the last message's id, when it does.</summary>
        public string LastId { get; set; }
    }
}
