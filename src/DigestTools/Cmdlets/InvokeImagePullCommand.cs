using System.Management.Automation;
using System.Collections.Generic;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Fleet;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.References;

namespace DigestTools
{
    /// <summary>
    /// <para type="synopsis">Pulls an image through the container engine by tag or by digest, and proves what arrived.</para>
    /// <para type="description">
    /// Asks the engine (Docker, or Podman's Docker-compatible API) to pull one reference: by digest when it has one,
    /// else by its tag ("latest" when none). A reference with both, name:tag@digest, pulls by the digest, as
    /// docker does; the tag is not applied. Never asks for all tags of a repository.
    /// Input: a reference string, an ImageReference, or objects from Get-ImageDigest, Get-ImageDigest -Local or
    /// Invoke-ImagePull (their PinnedReference wins over their Reference).
    /// After the pull the image is inspected: its RepoDigests must contain repository@digest. For a tag pull the
    /// digest is the one the engine recorded; when a digest was given, a different one fails with DigestMismatch.
    /// Docker names that digest in its progress stream; Podman does not, so when the image then carries several
    /// digests for the repository (an index and its platform manifest, say) the registry is asked which one the
    /// tag names (AmbiguousDigest when it cannot tell).
    /// An error inside the engine's progress stream fails the pull even when the HTTP status was 200 (Podman).
    /// Errors: ManifestUnknown, RegistryAuthenticationFailed, PullFailed, DigestMismatch, AmbiguousDigest,
    /// InvalidReference (per input); EngineUnreachable (stops the cmdlet).
    /// </para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "ImagePull", SupportsShouldProcess = true)]
    [OutputType(typeof(PulledImage))]
    public sealed class InvokeImagePullCommand : EngineCmdlet
    {
        /// <summary>The image to pull: name[:tag][@digest], an ImageReference, or an object with a PinnedReference/Reference/Image/Name property.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNull]
        [ArgumentCompleter(typeof(LocalImageCompleter))]
        public object Reference { get; set; }

        /// <summary>repository@digest from a previous resolution (Get-ImageDigest output); wins over Reference.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string PinnedReference { get; set; }

        /// <summary>os/arch[/variant] to pull from a multi-platform image; the engine's own platform by default.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PlatformCompleter))]
        public string Platform { get; set; }

        /// <summary>Registry credential, sent to the engine as X-Registry-Auth. Never written anywhere.</summary>
        [Parameter]
        [Credential]
        public PSCredential Credential { get; set; }

        internal override bool AcceptsManyEngines => true;

        protected override void ProcessRecord()
        {
            ImageReference reference = ReferenceInput.Read(PinnedReference, Reference, out ErrorRecord invalid);
            if (reference == null || !PlatformInput.TryRead(Platform, out string platform, out invalid))
            {
                WriteError(invalid);
                return;
            }
            string what = reference + (platform == null ? "" : " (" + platform + ")");
            if (ManyEngines)
            {
                if (ShouldProcess($"{what} on {EngineUri.Length} engines", "Pull image")) PullOnEveryEngine(reference, platform);
                return;
            }
            if (!ShouldProcess(what, "Pull image")) return;

            try
            {
                var puller = new ImagePuller(Engine, Log);
                PullResult pulled = Run(ct => puller.PullAsync(reference.Parsed, platform, CredentialConversion.ToRegistryCredential(Credential), ct));
                WriteVerbose($"Pulled {pulled.PinnedReference} as image {pulled.ImageId}.");
                WriteObject(PulledImage.From(pulled));
            }
            catch (FailureException e) when (e.Kind != ErrorCatalog.EngineUnreachable)
            {
                WriteError(ErrorRecords.From(e, reference.ToString()));
            }
            catch (FailureException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, Engine.Endpoint.Address.OriginalString));
            }
        }

        // The fleet pre-pull: the tag resolved once at the registry, then the same digest on every engine at once.
        private void PullOnEveryEngine(ImageReference reference, string platform)
        {
            EngineFleet fleet = Fleet;
            var puller = new FleetPuller(fleet, new RegistryAccess(this, Credential).Options, Log);
            IReadOnlyList<FleetOutcome<PullResult>> outcomes;
            try
            {
                ParsedReference pinned = Run(ct => puller.PinAsync(reference.Parsed, ct));
                outcomes = Run(ct => puller.PullAsync(pinned, platform, CredentialConversion.ToRegistryCredential(Credential), ct));
            }
            catch (FailureException e)
            {
                WriteError(ErrorRecords.From(e, reference.ToString()));
                return;
            }
            foreach (FleetOutcome<PullResult> outcome in outcomes)
            {
                if (outcome.Failure == null) { WriteObject(PulledImage.From(outcome.Result)); continue; }
                WriteError(FleetErrors.For(outcome));
            }
        }
    }
}
