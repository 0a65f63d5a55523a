namespace DigestTools.Engine.Docker
{
    /// <summary>One pull: a repository and exactly one tag or digest (never "all tags").</summary>
    public sealed class ImagePullRequest
    {
        /// <summary>Fully qualified repository name, e.g. "127.0.0.1:5000/fixtures/busybox" or "docker.io/library/ubuntu".</summary>
        public string Repository { get; set; }

        /// <summary>A tag ("8.4") or a digest ("sha256:..."): the API takes either as its tag parameter.</summary>
        public string TagOrDigest { get; set; }

        /// <summary>"os/arch[/variant]" or null for the engine's own platform.</summary>
        public string Platform { get; set; }

        /// <summary>Value for X-Registry-Auth (see RegistryAuthHeader), or null for anonymous.</summary>
        public string RegistryAuth { get; set; }
    }
}
