using System;

namespace DigestTools.Engine.Registry
{
    /// <summary>The manifest media types a registry may answer with, and what each one means to us.</summary>
    public static class ManifestMediaTypes
    {
        public const string OciIndex = "application/vnd.oci.image.index.v1+json";
        public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
        public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
        public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
        public const string DockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json";
        public const string DockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";

        /// <summary>
        /// All four current types, always together: a registry converts a Docker v2 manifest to schema 1
        /// (another digest) when its type is missing, and hides OCI manifests entirely. Schema 1 is left out
        /// on purpose so a registry that can still convert never chooses it for us.
        /// </summary>
        public const string Accept = OciIndex + ", " + DockerManifestList + ", " + OciManifest + ", " + DockerManifest;

        public static bool IsIndex(string mediaType)
            => string.Equals(mediaType, OciIndex, StringComparison.OrdinalIgnoreCase)
            || string.Equals(mediaType, DockerManifestList, StringComparison.OrdinalIgnoreCase);

        public static bool IsSchema1(string mediaType)
            => string.Equals(mediaType, DockerSchema1, StringComparison.OrdinalIgnoreCase)
            || string.Equals(mediaType, DockerSchema1Signed, StringComparison.OrdinalIgnoreCase);

        /// <summary>"application/json; charset=utf-8" -> "application/json"; null or blank -> null.</summary>
        internal static string Strip(string contentType)
        {
            if (string.IsNullOrWhiteSpace(contentType)) return null;
            int semicolon = contentType.IndexOf(';');
            string bare = (semicolon >= 0 ? contentType.Substring(0, semicolon) : contentType).Trim();
            return bare.Length == 0 ? null : bare;
        }

        /// <summary>Types that say nothing about the manifest kind: the body's mediaType field must decide.</summary>
        internal static bool IsGeneric(string mediaType)
            => mediaType == null
            || string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase)
            || string.Equals(mediaType, "application/octet-stream", StringComparison.OrdinalIgnoreCase)
            || string.Equals(mediaType, "text/plain", StringComparison.OrdinalIgnoreCase);
    }
}
