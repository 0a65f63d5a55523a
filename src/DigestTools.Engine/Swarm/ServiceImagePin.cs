using System;

namespace DigestTools.Engine.Swarm
{
    /// <summary>
    /// A service's image, resolved once: repository, the tag it came from (if any) and the digest every node
    /// must run. The service is created from <see cref="Image"/>, repository:tag@sha256:..., the form the
    /// docker CLI writes: nodes pull by the digest, people still read the tag.
    /// </summary>
    public sealed class ServiceImagePin
    {
        public ServiceImagePin(string registry, string repositoryName, string tag, string digest, string sourceReference)
        {
            Registry = registry;
            RepositoryName = repositoryName ?? throw new ArgumentNullException(nameof(repositoryName));
            Tag = tag;
            Digest = digest ?? throw new ArgumentNullException(nameof(digest));
            SourceReference = sourceReference;
        }

        /// <summary>The registry host[:port] (docker.io for Docker Hub): whose credential the nodes need.</summary>
        public string Registry { get; }

        /// <summary>registry/repository, as the engine names it (e.g. 127.0.0.1:5000/app, docker.io/library/nginx).</summary>
        public string RepositoryName { get; }

        public string Tag { get; }
        public string Digest { get; }

        /// <summary>The reference the caller gave (or the service's label held), e.g. registry/app:1.2.</summary>
        public string SourceReference { get; }

        /// <summary>repository:tag@digest (repository@digest without a tag): the service spec's image.</summary>
        public string Image => RepositoryName + (Tag == null ? string.Empty : ":" + Tag) + "@" + Digest;

        /// <summary>repository@digest, the form every DigestTools output carries.</summary>
        public string PinnedReference => RepositoryName + "@" + Digest;

        /// <summary>The digest part of an engine image string ("repo:tag@sha256:..."); null when it has none.</summary>
        public static string DigestOf(string image)
        {
            if (string.IsNullOrEmpty(image)) return null;
            int at = image.LastIndexOf('@');
            return at < 0 ? null : image.Substring(at + 1);
        }

        /// <summary>An engine image string without its digest ("repo:tag@sha256:..." -> "repo:tag").</summary>
        public static string WithoutDigest(string image)
        {
            if (string.IsNullOrEmpty(image)) return image;
            int at = image.LastIndexOf('@');
            return at < 0 ? image : image.Substring(0, at);
        }
    }
}
