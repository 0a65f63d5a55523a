using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.Registry;

namespace DigestTools
{
    /// <summary>
    /// Get-ImageDigest: turns image references into immutable digests by asking the registry (HEAD, no pull).
    /// References resolve concurrently (bounded overall and per registry) and come out in input order; the
    /// first results are written while later inputs still arrive. The "Local" parameter set (what the engine
    /// has) lives in GetImageDigestCommand.Local.cs.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ImageDigest", DefaultParameterSetName = RemoteSet)]
    [OutputType(typeof(ImageDigestInfo), ParameterSetName = new[] { RemoteSet })]
    public sealed partial class GetImageDigestCommand : DigestToolsCmdlet
    {
        internal const string RemoteSet = "Remote";
        internal const string LocalSet = "Local";


        /// <summary>
        /// Strings, ImageReference objects, or objects with a Reference/PinnedReference/Image/Name property.
        /// Typed object[] on purpose: a malformed string must become an InvalidReference error for that one
        /// input, not a binding failure that stops the whole pipeline.
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = RemoteSet)]
        [Alias("Image", "Name", "PinnedReference")]
        [ArgumentCompleter(typeof(LocalImageCompleter))]
        [AllowNull, AllowEmptyString, AllowEmptyCollection]
        public object[] Reference { get; set; }

        /// <summary>Platform to select from a multi-platform image, os/arch[/variant]. Default: linux on this machine's architecture.</summary>
        [Parameter(ParameterSetName = RemoteSet)]
        [ArgumentCompleter(typeof(PlatformCompleter))]
        public string Platform { get; set; }

        /// <summary>Registry credential; wins over the Docker config.</summary>
        [Parameter(ParameterSetName = RemoteSet)]
        [Credential]
        public PSCredential Credential { get; set; }

        /// <summary>Registries (host[:port]) that may be reached over plain http, besides loopback. Adds to $env:DIGESTTOOLS_INSECURE_REGISTRIES.</summary>
        [Parameter(ParameterSetName = RemoteSet)]
        [ValidateNotNullOrEmpty]
        public string[] InsecureRegistry { get; set; }

        /// <summary>Per-request timeout in seconds, for the registry and (with -Local) the engine.</summary>
        [Parameter(ParameterSetName = RemoteSet)]
        [Parameter(ParameterSetName = LocalSet)]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 30;

        /// <summary>References resolved at the same time (at most 8 per registry).</summary>
        [Parameter(ParameterSetName = RemoteSet)]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = 16;

        private DigestResolver _resolver;
        private OrderedResults<ManifestResolution> _results;

        partial void ProcessLocalRecord();
        partial void EndLocalProcessing();

        protected override void ProcessRecord()
        {
            if (ParameterSetName == LocalSet) { ProcessLocalRecord(); return; }
            if (!PlatformInput.TryRead(Platform, out string platform, out ErrorRecord badPlatform))
            {
                WriteError(badPlatform);
                return;
            }
            EnsureResolver();
            foreach (object input in Reference ?? new object[] { null })
            {
                ImageReference reference = ReferenceInput.Read(input, out ErrorRecord invalid);
                if (reference == null) _results.Add(invalid);
                else _results.Add(reference, _resolver.Resolve(reference.Parsed, platform, StopToken));
            }
            _results.WriteFinished(waitForAll: false);
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == LocalSet) { EndLocalProcessing(); return; }
            _results?.WriteFinished(waitForAll: true);
        }

        protected override void ReleaseResources()
        {
            _resolver?.Dispose();
            _resolver = null;
        }

        private void EnsureResolver()
        {
            if (_resolver != null) return;
            RegistryClientOptions options = RegistryOptions.For(Credential, InsecureRegistry, TimeoutSec, Log);
            _resolver = new DigestResolver(options, ThrottleLimit, Log);
            _results = new OrderedResults<ManifestResolution>(Pump, StopToken, backlog: Math.Max(64, ThrottleLimit * 4),
                (target, resolution) => WriteObject(ToInfo((ImageReference)target, resolution)),
                (target, failure) => WriteError(ErrorRecords.From(failure, ErrorCatalog.RegistryRequestFailed, target)),
                WriteError);
        }

        private static ImageDigestInfo ToInfo(ImageReference reference, ManifestResolution resolution)
        {
            // A reference that names a digest was only checked: its digest stands as given.
            string tag = DigestResolver.TagToResolve(reference.Parsed);
            string digest = reference.Digest ?? resolution.Digest;
            string pinned = reference.Name + (tag == null ? string.Empty : ":" + tag) + "@" + digest;
            return new ImageDigestInfo(reference, tag, digest, resolution.MediaType, resolution.Size,
                resolution.Platform, resolution.PlatformDigest,
                resolution.Platforms.Select(p => p.ToString()).ToArray(), pinned,
                resolution.RateLimitLimit, resolution.RateLimitRemaining);
        }
    }
}
