using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Registry
{
    /// <summary>
    /// The resolution of one reference: HEAD with all four manifest types; the Docker-Content-Digest header
    /// when it is well formed, else a GET and the hash of the raw bytes; a by-digest answer must be that
    /// digest; an index is fetched by its digest (and verified) to choose a platform; a failed HEAD is
    /// repeated as GET to read the registry's error code.
    /// </summary>
    internal sealed class ManifestResolver
    {
        private readonly RegistryTransport _transport;

        // Verified indexes by registry/repository@digest: content addressed, so it never goes stale, and 200
        // references to one multi-platform tag fetch its index once per client.
        private readonly ConcurrentDictionary<string, Lazy<Task<ManifestDocument>>> _indexes =
            new ConcurrentDictionary<string, Lazy<Task<ManifestDocument>>>(StringComparer.Ordinal);

        private readonly CancellationToken _clientLifetime;
        private readonly Authentication.SecretRedactor _secrets;

        internal ManifestResolver(RegistryTransport transport, CancellationToken clientLifetime = default, Authentication.SecretRedactor secrets = null)
        {
            _transport = transport;
            _clientLifetime = clientLifetime;
            _secrets = secrets;
        }

        internal async Task<ManifestResolution> ResolveAsync(RegistryEndpoint endpoint, ManifestQuery query, CancellationToken cancellationToken)
        {
            string display = query.Display;
            Uri uri = endpoint.ManifestUri(query.Repository, query.TagOrDigest);

            RegistryResponse head = await _transport.SendAsync(HttpMethod.Head, uri, ManifestMediaTypes.Accept, endpoint.Registry, cancellationToken).ConfigureAwait(false);
            RegistryResponse rateSource = head;
            RejectSchema1(head.MediaType, display, endpoint);

            string digest = null;
            string mediaType = head.MediaType;
            long size = head.ContentLength ?? 0;
            byte[] body = null;

            bool headTrusted = head.IsSuccess && ManifestDigest.IsWellFormed(head.ContentDigest)
                && (query.Digest == null || string.Equals(head.ContentDigest, query.Digest, StringComparison.Ordinal))
                && !ManifestMediaTypes.IsGeneric(head.MediaType);
            if (headTrusted)
            {
                digest = head.ContentDigest;
            }
            else
            {
                // The header is missing, malformed, not the digest asked for, or the HEAD failed: the body decides.
                RegistryResponse get = await _transport.SendAsync(HttpMethod.Get, uri, ManifestMediaTypes.Accept, endpoint.Registry, cancellationToken).ConfigureAwait(false);
                if (!get.IsSuccess) throw RegistryErrorMapper.Map(get.StatusCode, get.Body, display, endpoint.Registry, _secrets);
                rateSource = get;
                body = get.Body;
                // By digest, the requested digest is the only acceptable answer; by tag, a well-formed header
                // is a claim the body must honor, and without one the body's own sha256 is the digest.
                string expected = query.Digest ?? (ManifestDigest.IsWellFormed(get.ContentDigest) ? get.ContentDigest : null);
                digest = expected ?? ManifestDigest.Compute(body);
                VerifyBody(body, digest, display, endpoint);
                mediaType = MediaTypeOf(get.MediaType, body, display, endpoint);
                size = body.LongLength;
            }

            var resolution = new ManifestResolution
            {
                Digest = digest,
                MediaType = mediaType,
                Size = size,
                PlatformDigest = digest,
                RateLimitLimit = rateSource.RateLimitLimit,
                RateLimitRemaining = rateSource.RateLimitRemaining,
            };

            if (ManifestMediaTypes.IsIndex(mediaType))
            {
                ManifestDocument index = body != null
                    ? Parse(body, display, endpoint)
                    : await FetchIndexAsync(endpoint, query.Repository, digest, display, cancellationToken).ConfigureAwait(false);
                SelectPlatform(resolution, index, query.Platform, display, endpoint);
            }
            return resolution;
        }

        /// <summary>
        /// GET the index by the digest just resolved (the tag may move meanwhile, the digest cannot), verify
        /// and parse it, once per client. A failed fetch is not kept, so a later call tries again.
        /// </summary>
        private async Task<ManifestDocument> FetchIndexAsync(RegistryEndpoint endpoint, string repository, string digest, string display, CancellationToken cancellationToken)
        {
            string key = endpoint.BaseUri.AbsoluteUri + repository + "@" + digest;
            var fetch = new Lazy<Task<ManifestDocument>>(async () =>
            {
                // Shared by every caller: runs under the client's lifetime, not the first caller's token.
                RegistryResponse get = await _transport.SendAsync(HttpMethod.Get, endpoint.ManifestUri(repository, digest),
                    ManifestMediaTypes.Accept, endpoint.Registry, _clientLifetime).ConfigureAwait(false);
                if (!get.IsSuccess) throw RegistryErrorMapper.Map(get.StatusCode, get.Body, display, endpoint.Registry, _secrets);
                VerifyBody(get.Body, digest, display, endpoint);
                return Parse(get.Body, display, endpoint);
            });
            Lazy<Task<ManifestDocument>> shared = _indexes.GetOrAdd(key, fetch);
            try { return await SharedTaskWait.WaitAsync(shared.Value, cancellationToken).ConfigureAwait(false); }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { throw; }
            catch
            {
                ((ICollection<KeyValuePair<string, Lazy<Task<ManifestDocument>>>>)_indexes).Remove(new KeyValuePair<string, Lazy<Task<ManifestDocument>>>(key, shared));
                throw;
            }
        }

        private static void SelectPlatform(ManifestResolution resolution, ManifestDocument index, string requested, string display, RegistryEndpoint endpoint)
        {
            var platforms = PlatformSelector.ListPlatforms(index.Manifests);
            resolution.Platforms = platforms;
            string platform = string.IsNullOrWhiteSpace(requested) ? PlatformSelector.DefaultPlatform() : requested.Trim();
            PlatformManifest chosen = PlatformSelector.Select(platforms, platform);
            if (chosen == null || !ManifestDigest.IsWellFormed(chosen.Digest))
            {
                string available = platforms.Count == 0 ? "none" : string.Join(", ", platforms);
                throw new FailureException(ErrorCatalog.PlatformNotFound, $"{display} on {endpoint.Registry} has no image for platform {platform}. Available: {available}.");
            }
            resolution.Platform = chosen.ToString();
            resolution.PlatformDigest = chosen.Digest;
        }

        private static void VerifyBody(byte[] body, string digest, string display, RegistryEndpoint endpoint)
        {
            if (ManifestDigest.Matches(body, digest)) return;
            throw new FailureException(ErrorCatalog.DigestMismatch, $"The manifest {endpoint.Registry} sent for {display} hashes to {ManifestDigest.Compute(body, digest)}, not {digest}; it was rejected.");
        }

        private static string MediaTypeOf(string contentType, byte[] body, string display, RegistryEndpoint endpoint)
        {
            RejectSchema1(contentType, display, endpoint);
            if (!ManifestMediaTypes.IsGeneric(contentType)) return contentType;
            ManifestDocument document = Parse(body, display, endpoint);
            if (document.SchemaVersion == 1) RejectSchema1(ManifestMediaTypes.DockerSchema1, display, endpoint);
            // Without a useful Content-Type, the body's mediaType names it; an OCI index may omit both: "manifests" tells.
            if (!string.IsNullOrEmpty(document.MediaType)) return document.MediaType;
            return document.Manifests.Count > 0 ? ManifestMediaTypes.OciIndex : ManifestMediaTypes.OciManifest;
        }

        private static void RejectSchema1(string mediaType, string display, RegistryEndpoint endpoint)
        {
            if (!ManifestMediaTypes.IsSchema1(mediaType)) return;
            throw new FailureException(ErrorCatalog.SchemaV1Unsupported, $"{endpoint.Registry} serves {display} as a Docker schema 1 manifest ({mediaType}), which is deprecated and not supported; push it again with a current client.");
        }

        private static ManifestDocument Parse(byte[] body, string display, RegistryEndpoint endpoint)
        {
            try { return ManifestDocument.Parse(body); }
            catch (FormatException e)
            {
                throw new FailureException(ErrorCatalog.ManifestInvalid, $"{endpoint.Registry} sent an unreadable manifest for {display}: {e.Message}", e);
            }
        }
    }
}
