namespace DigestTools.Engine.Docker
{
    /// <summary>
    /// The labels DigestTools writes on what it pins (containers, services and their tasks), so drift can be
    /// checked later and a service can be re-pinned from the reference it was created from.
    /// </summary>
    public static class PinLabels
    {
        /// <summary>The reference the caller gave, e.g. registry/app:1.2.</summary>
        public const string SourceReference = "io.digesttools.source-reference";

        /// <summary>The digest pinned to (sha256:...).</summary>
        public const string Digest = "io.digesttools.digest";

        /// <summary>repository@digest.</summary>
        public const string PinnedReference = "io.digesttools.pinned-reference";
    }
}
