using System;
using System.Collections.Generic;
using System.Management.Automation;
using DigestTools.Drift;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Registry;

namespace DigestTools
{
    /// <summary>
    /// Get-ImageDrift: for containers on an engine, what each runs against its pin and against what its tag names
    /// in the registry now (Current, TagMoved, PinMissing, LocalOnly, Unknown). Inputs are collected and checked
    /// together at the end, so each distinct reference and digest is asked of the registry once.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ImageDrift")]
    [OutputType(typeof(ImageDrift))]
    public sealed class GetImageDriftCommand : EngineCmdlet
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

        /// <summary>Per-request timeout in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 30;

        /// <summary>Registry requests at the same time (at most 8 per registry).</summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = 16;

        private readonly List<string> _containers = new List<string>();

        protected override void ProcessRecord()
        {
            if (Container != null) _containers.AddRange(Container);
        }

        protected override void EndProcessing()
        {
            try
            {
                bool verbose = MyInvocation.BoundParameters.ContainsKey("Verbose");
                using (var client = new RegistryClient(RegistryOptions.For(Credential, InsecureRegistry, TimeoutSec, Pump, verbose)))
                using (var lookups = new DriftRegistryLookups(client, ThrottleLimit, verbose ? Pump.Verbose : (Action<string>)null))
                {
                    var check = new DriftCheck(Engine, lookups);
                    IReadOnlyList<DriftResult> results = Run(ct => check.CheckAsync(_containers, All.IsPresent, ct));
                    WriteVerbose($"{results.Count} container(s) checked with {lookups.TagLookups} tag resolution(s) and {lookups.DigestLookups} digest check(s).");
                    foreach (DriftResult result in results) Write(result);
                }
            }
            catch (EngineException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, EngineUri));
            }
            finally
            {
                base.EndProcessing();
            }
        }

        private void Write(DriftResult result)
        {
            if (result.Failure != null)
            {
                WriteError(result.Failure is EngineException engine ? ErrorRecords.From(engine, result.Target)
                    : ErrorRecords.New("ContainerInspectFailed", ErrorCategory.NotSpecified, result.Failure.Message, result.Target, result.Failure));
                return;
            }
            ContainerDrift d = result.Drift;
            var output = new ImageDrift
            {
                Name = d.Name,
                Id = d.Id,
                State = d.State,
                Engine = d.Engine,
                ConfiguredImage = d.ConfiguredImage,
                Repository = d.Repository,
                Platform = d.Platform,
                RunningDigest = d.RunningDigest,
                Pinned = d.Pinned,
                SourceReference = d.SourceReference,
                PinnedDigest = d.PinnedDigest,
                Tag = d.Tag,
                CurrentDigest = d.CurrentDigest,
                Status = (DriftStatus)Enum.Parse(typeof(DriftStatus), d.Status.ToString()),
            };
            if (d.Error != null)
            {
                output.Error = d.Error is RegistryException registry ? ErrorRecords.From(registry, d.Name ?? d.Id)
                    : ErrorRecords.New("RegistryRequestFailed", ErrorCategory.NotSpecified, d.Error.Message, d.Name ?? d.Id, d.Error);
                WriteError(output.Error);
            }
            WriteObject(output);
        }
    }
}
