namespace DigestTools.Engine.Errors
{
    /// <summary>One entry of the <see cref="ErrorCatalog"/>: a stable ErrorId and the category it always has.</summary>
    public sealed class ErrorKind
    {
        internal ErrorKind(string id, FailureCategory category)
        {
            Id = id;
            Category = category;
        }

        /// <summary>What scripts match on ($_.FullyQualifiedErrorId starts with it), e.g. "ManifestUnknown".</summary>
        public string Id { get; }

        public FailureCategory Category { get; }

        public override string ToString() => Id;
    }
}
