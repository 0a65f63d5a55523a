using System;

namespace DigestTools.Engine.Pinning
{
    /// <summary>One row of `docker images --digests`; DigestTools.LocalImageDigest is its public face.</summary>
    public sealed class LocalDigestRow
    {
        public string Repository { get; set; }
        public string Tag { get; set; }
        /// <summary>Null when the image has no registry digest for this repository.</summary>
        public string Digest { get; set; }
        public string Reference { get; set; }
        public string PinnedReference { get; set; }
        public string ImageId { get; set; }
        public string[] Digests { get; set; }
        public DateTime? Created { get; set; }
        public long Size { get; set; }
    }
}
