namespace DigestTools.Engine.Registry
{
    /// <summary>One descriptor of an image index / manifest list: its platform and where its manifest is.</summary>
    public sealed class PlatformManifest
    {
        public string Os { get; set; }
        public string Architecture { get; set; }
        public string Variant { get; set; }
        public string OsVersion { get; set; }
        public string Digest { get; set; }
        public long Size { get; set; }

        /// <summary>The vnd.docker.reference.type annotation: "attestation-manifest" marks BuildKit's provenance/SBOM.</summary>
        internal string ReferenceType { get; set; }

        /// <summary>"os/arch[/variant]", the form docker --platform takes.</summary>
        public override string ToString() => string.IsNullOrEmpty(Variant) ? Os + "/" + Architecture : Os + "/" + Architecture + "/" + Variant;
    }
}
