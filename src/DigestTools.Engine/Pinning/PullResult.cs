namespace DigestTools.Engine.Pinning
{
    /// <summary>A verified pull: the image the engine now has, and the digest it was proven to carry.</summary>
    public sealed class PullResult
    {
        public string Reference { get; set; }
        public string Repository { get; set; }
        public string Tag { get; set; }
        public string Digest { get; set; }
        /// <summary>repository@digest.</summary>
        public string PinnedReference { get; set; }
        public string ImageId { get; set; }
        public string[] RepoTags { get; set; }
        public string[] RepoDigests { get; set; }
        public string Platform { get; set; }
        /// <summary>The engine's address, as given or found.</summary>
        public string Engine { get; set; }
    }
}
