namespace DigestTools.Engine.Docker
{
    /// <summary>What a create answered: the id the engine's reply named, and the creation id this call put on the container.</summary>
    public sealed class CreatedContainer
    {
        public CreatedContainer(string id, string creationId)
        {
            Id = id;
            CreationId = creationId;
        }

        /// <summary>The id the reply named: trusted only once the container under it carries <see cref="CreationId"/>.</summary>
        public string Id { get; }

        /// <summary>The value of <see cref="EngineClient.CreationIdLabel"/>: finds what this create made whatever the reply said.</summary>
        public string CreationId { get; }
    }
}
