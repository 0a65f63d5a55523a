namespace DigestTools.Engine.Registry
{
    /// <summary>One platform entry of an image index / manifest list.</summary>
    public sealed class PlatformManifest
    {
        public string Os { get; set; }
        public string Architecture { get; set; }
        public string Variant { get; set; }
        public string OsVersion { get; set; }
        public string Digest { get; set; }
        public string MediaType { get; set; }
        public long Size { get; set; }

        /// <summary>"os/arch[/variant]", the form docker --platform takes.</summary>
        public override string ToString() => string.IsNullOrEmpty(Variant) ? Os + "/" + Architecture : Os + "/" + Architecture + "/" + Variant;
    }
}
