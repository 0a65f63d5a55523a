using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
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
    public sealed partial class GetImageDigestCommand : DigestToolsCmdlet, IDisposable
    {
        internal const string RemoteSet = "Remote";
        internal const string LocalSet = "Local";

        /// <summary>Simultaneous requests to one registry, whatever -ThrottleLimit says: be a polite client.</summary>
        internal const int PerRegistryLimit = 8;

        internal const string InsecureRegistriesVariable = "DIGESTTOOLS_INSECURE_REGISTRIES";

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
        [ValidatePlatform]
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

        private readonly Queue<PendingResolution> _pending = new Queue<PendingResolution>();

        // One resolution per distinct reference and platform in a call: repeats share it (and agree).
        private readonly Dictionary<string, Task<ManifestResolution>> _resolutions = new Dictionary<string, Task<ManifestResolution>>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, SemaphoreSlim> _registryGates = new ConcurrentDictionary<string, SemaphoreSlim>(StringComparer.OrdinalIgnoreCase);
        private RegistryClient _client;
        private SemaphoreSlim _overallGate;
        private bool _verbose;

        partial void ProcessLocalRecord();
        partial void EndLocalProcessing();

        protected override void ProcessRecord()
        {
            if (ParameterSetName == LocalSet) { ProcessLocalRecord(); return; }
            EnsureClient();
            foreach (object input in Reference ?? new object[] { null })
            {
                if (ReferenceInput.TryRead(input, out ImageReference reference, out string problem))
                {
                    Enqueue(new PendingResolution(reference, Resolution(reference)));
                }
                else
                {
                    var error = new ErrorRecord(new ArgumentException(problem), "InvalidReference", ErrorCategory.InvalidArgument, input);
                    Enqueue(new PendingResolution(input, error));
                }
            }
            WriteFinished(waitForAll: false);
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == LocalSet) { EndLocalProcessing(); return; }
            WriteFinished(waitForAll: true);
        }

        void IDisposable.Dispose()
        {
            _client?.Dispose();
            _overallGate?.Dispose();
            foreach (SemaphoreSlim gate in _registryGates.Values) gate.Dispose();
            Dispose();
        }

        private void EnsureClient()
        {
            if (_client != null) return;
            _overallGate = new SemaphoreSlim(ThrottleLimit);
            _verbose = VerboseWanted();
            _client = new RegistryClient(new RegistryClientOptions
            {
                InsecureRegistries = InsecureRegistries(),
                RequestTimeout = TimeSpan.FromSeconds(TimeoutSec),
                Credential = ToRegistryCredential(Credential),
                // Formatting and queueing every request's text costs time on 200 references: only when it is shown.
                Log = _verbose ? message => Pump.Verbose(message) : (Action<string>)null,
                Warn = message => Pump.Warning(message),
            });
        }

        private bool VerboseWanted()
        {
            if (MyInvocation.BoundParameters.TryGetValue("Verbose", out object verbose)) return ((SwitchParameter)verbose).IsPresent;
            return GetVariableValue("VerbosePreference") is ActionPreference preference && preference != ActionPreference.SilentlyContinue
                && preference != ActionPreference.Ignore;
        }

        private List<string> InsecureRegistries()
        {
            var registries = new List<string>(InsecureRegistry ?? new string[0]);
            string fromEnvironment = Environment.GetEnvironmentVariable(InsecureRegistriesVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
                registries.AddRange(fromEnvironment.Split(',').Select(r => r.Trim()).Where(r => r.Length > 0));
            return registries;
        }

        private static RegistryCredential ToRegistryCredential(PSCredential credential)
        {
            if (credential == null || credential == PSCredential.Empty) return null;
            return new RegistryCredential(credential.UserName, credential.GetNetworkCredential().Password);
        }

        // Keeps memory bounded on huge inputs: past this many unwritten results, wait for the oldest.
        private int Backlog => Math.Max(64, ThrottleLimit * 4);

        private void Enqueue(PendingResolution pending)
        {
            _pending.Enqueue(pending);
            while (_pending.Count > Backlog) WriteHead();
        }

        /// <summary>Writes finished results from the head of the queue, in input order; optionally waits for all.</summary>
        private void WriteFinished(bool waitForAll)
        {
            Pump.DrainPending();
            while (_pending.Count > 0 && (waitForAll || _pending.Peek().IsDone)) WriteHead();
            Pump.DrainPending();
        }

        /// <summary>Waits for the oldest input (running background messages meanwhile) and writes its result or error.</summary>
        private void WriteHead()
        {
            PendingResolution head = _pending.Peek();
            if (!head.IsDone) Pump.RunUntil(head.Task);
            if (StopToken.IsCancellationRequested) throw new PipelineStoppedException();
            _pending.Dequeue();
            if (head.Error != null) { WriteError(head.Error); return; }

            Task<ManifestResolution> task = head.Task;
            if (task.Status == TaskStatus.RanToCompletion) { WriteObject(ToInfo((ImageReference)head.Target, task.Result)); return; }
            Exception failure = task.Exception?.GetBaseException() ?? new OperationCanceledException();
            WriteError(ToErrorRecord(failure, head.Target));
        }

        private static ErrorRecord ToErrorRecord(Exception failure, object target)
        {
            if (failure is RegistryException registry) return ErrorRecords.From(registry, target);
            if (failure is OperationCanceledException) return new ErrorRecord(failure, "OperationCanceled", ErrorCategory.OperationStopped, target);
            return new ErrorRecord(failure, "RegistryRequestFailed", ErrorCategory.NotSpecified, target);
        }

        private static string TagToResolve(ImageReference reference) => reference.Tag ?? (reference.Digest == null ? "latest" : null);

        private Task<ManifestResolution> Resolution(ImageReference reference)
        {
            string key = reference.Name + "|" + (reference.Digest ?? TagToResolve(reference)) + "|" + Platform;
            if (!_resolutions.TryGetValue(key, out Task<ManifestResolution> resolution))
            {
                resolution = Task.Run(() => ResolveAsync(reference, StopToken));
                _resolutions.Add(key, resolution);
            }
            return resolution;
        }

        private async Task<ManifestResolution> ResolveAsync(ImageReference reference, CancellationToken cancellationToken)
        {
            // Per registry first, then overall: a task queued behind a busy registry holds no overall slot.
            SemaphoreSlim registryGate = _registryGates.GetOrAdd(reference.Registry, _ => new SemaphoreSlim(Math.Min(PerRegistryLimit, ThrottleLimit)));
            await registryGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _overallGate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    string tag = TagToResolve(reference);
                    if (_verbose) Pump.Verbose(reference.Digest == null
                        ? $"Asking {reference.Registry} for the digest of {reference.Name}:{tag}" + (Platform == null ? "." : $" (platform {Platform}).")
                        : $"Asking {reference.Registry} whether {reference.Name}@{reference.Digest} exists.");
                    ManifestResolution resolution = await _client.ResolveAsync(new ManifestQuery
                    {
                        Registry = reference.Registry,
                        Repository = reference.Repository,
                        Tag = tag,
                        Digest = reference.Digest,
                        Platform = Platform,
                    }, cancellationToken).ConfigureAwait(false);
                    if (_verbose) Pump.Verbose($"{reference}: {resolution.Digest}" + (resolution.Platform == null ? string.Empty : $" ({resolution.Platform}: {resolution.PlatformDigest})"));
                    return resolution;
                }
                finally { _overallGate.Release(); }
            }
            finally { registryGate.Release(); }
        }

        private static ImageDigestInfo ToInfo(ImageReference reference, ManifestResolution resolution)
        {
            // A reference that names a digest was only checked: its digest stands as given.
            string tag = TagToResolve(reference);
            string digest = reference.Digest ?? resolution.Digest;
            ImageReference pinned = ImageReference.Parse(reference.Name + (tag == null ? string.Empty : ":" + tag) + "@" + digest);
            return new ImageDigestInfo(reference, tag, digest, resolution.MediaType, resolution.Size,
                resolution.Platform, resolution.PlatformDigest,
                resolution.Platforms.Select(p => p.ToString()).ToArray(), pinned,
                resolution.RateLimitLimit, resolution.RateLimitRemaining);
        }

        /// <summary>One input in flight: either a running resolution or an error already known.</summary>
        private sealed class PendingResolution
        {
            internal PendingResolution(object target, Task<ManifestResolution> task) { Target = target; Task = task; }
            internal PendingResolution(object target, ErrorRecord error) { Target = target; Error = error; }

            internal object Target { get; }
            internal Task<ManifestResolution> Task { get; }
            internal ErrorRecord Error { get; }
            internal bool IsDone => Error != null || Task.IsCompleted;
        }
    }
}
