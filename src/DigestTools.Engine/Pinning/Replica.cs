namespace DigestTools.Engine.Pinning
{
    /// <summary>One container created by <see cref="ReplicaCreator"/>; DigestTools.PinnedContainer is its public face.</summary>
    public sealed class Replica
    {
        public string Id { get; set; }
        /// <summary>The engine's name for it, even when the engine chose it.</summary>
        public string Name { get; set; }
        /// <summary>repository@digest, as the engine recorded it.</summary>
        public string Image { get; set; }
        public string Digest { get; set; }
        public string SourceReference { get; set; }
        public string State { get; set; }
        public long? ExitCode { get; set; }
        public string Logs { get; set; }
        /// <summary>1..N within the call.</summary>
        public int Number { get; set; }
        public string Engine { get; set; }

        /// <summary>The creation id label this call put on it: how a rollback finds it, whatever id a reply named.</summary>
        internal string CreationId { get; set; }

        /// <summary>"name 0123456789ab", how messages name a container.</summary>
        internal string Label => (Name ?? "(unnamed)") + " " + Id.Substring(0, System.Math.Min(12, Id.Length));
    }
}
