using System;
using System.Collections.Generic;
using System.Management.Automation;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Drift;
using DigestTools.Engine.Errors;

namespace DigestTools
{
    /// <summary>
    /// Get-ImageDrift: for containers on an engine, what each runs against its pin and against what its tag names
    /// in the registry now (Current, TagMoved, PinMissing, LocalOnly, Unknown). Inputs are collected and checked
    /// together at the end, so each distinct reference and digest is asked of the registry once.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ImageDrift")]
    [OutputType(typeof(ImageDrift))]
    [OutputType(typeof(ServiceImageDrift))]
    public sealed partial class GetImageDriftCommand : EngineCmdlet
    {
        /// <summary>Container names or ids; objects with an Id (New-PinnedContainer, Get-ImageDrift output) bind by property. Default: every running container.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string[] Container { get; set; }

        /// <summary>With no container named: stopped containers too.</summary>
        [Parameter]
        public SwitchParameter All { get; set; }

        /// <summary>Registry credential; wins over the Docker config.</summary>
        [Parameter]
        [Credential]
        public PSCredential Credential { get; set; }

        /// <summary>Registries (host[:port]) that may be reached over plain http, besides loopback. Adds to $env:DIGESTTOOLS_INSECURE_REGISTRIES.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] InsecureRegistry { get; set; }

        // -TimeoutSec (EngineCmdlet) bounds each registry request too.

        /// <summary>Registry requests at the same time (at most 8 per registry).</summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = 16;

        private readonly List<string> _containers = new List<string>();

        protected override void ProcessRecord()
        {
            if (Container != null) _containers.AddRange(Container);
        }

        internal override bool AcceptsManyEngines => true;

        protected override void EndProcessing()
        {
            if (Service.IsPresent || ManyEngines) { CheckEveryEngine(); return; }
            try
            {
                EngineClient engine = Engine;   // connects on the pipeline thread
                using (var lookups = new DriftRegistryLookups(RegistryOptions.For(Credential, InsecureRegistry, TimeoutSec, Log), ThrottleLimit, Log))
                {
                    var check = new DriftCheck(engine, lookups);
                    IReadOnlyList<DriftResult> results = Run(ct => check.CheckAsync(_containers, All.IsPresent, ct));
                    WriteVerbose($"{results.Count} container(s) checked with {lookups.TagLookups} tag resolution(s) and {lookups.DigestLookups} digest check(s).");
                    foreach (DriftResult result in results) Write(result);
                }
            }
            catch (FailureException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, Engine.Endpoint.Address.OriginalString));
            }
        }

        private void Write(DriftResult r)
            => Write(r.Failure, ErrorCatalog.ContainerInspectFailed, r.Target, r.Drift?.Error, r.Drift?.Name ?? r.Drift?.Id, error => ImageDrift.From(r.Drift, error));

        private void Write(ServiceDriftResult r)
            => Write(r.Failure, ErrorCatalog.ServiceInspectFailed, r.Target, r.Drift?.Error, r.Drift?.Name ?? r.Drift?.Id, error => ServiceImageDrift.From(r.Drift, error));

        // One result of either kind: a container or service that could not be read is an error (with a fallback
        // id); one whose registry question failed is written with Status Unknown, its error both on it and in the
        // error stream.
        private void Write(Exception failure, ErrorKind failureId, string target, Exception registryError, string name, Func<ErrorRecord, object> output)
        {
            if (failure != null)
            {
                WriteError(ErrorRecords.From(failure, failureId, target));
                return;
            }
            ErrorRecord error = registryError == null ? null : ErrorRecords.From(registryError, ErrorCatalog.RegistryRequestFailed, name);
            if (error != null) WriteError(error);
            WriteObject(output(error));
        }
    }
}
