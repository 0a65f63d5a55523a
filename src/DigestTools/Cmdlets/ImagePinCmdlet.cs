using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.PinFiles;

namespace DigestTools
{
    /// <summary>
    /// What Update-ImagePin and Test-ImagePin share: the paths (collected over the whole pipeline, so every
    /// distinct reference in every file is asked once), the registry parameters, and the workflow.
    /// </summary>
    public abstract class ImagePinCmdlet : DigestToolsCmdlet
    {
        /// <summary>Files or folders; wildcards allowed. Folders contribute Dockerfiles, Containerfiles and YAML files.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        /// <summary>Search folders' subfolders too (.git and node_modules are passed over).</summary>
        [Parameter]
        public SwitchParameter Recurse { get; set; }

        /// <summary>Registry credential; wins over the Docker config.</summary>
        [Parameter]
        [Credential]
        public PSCredential Credential { get; set; }

        /// <summary>Registries (host[:port]) that may be reached over plain http, besides loopback.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] InsecureRegistry { get; set; }

        /// <summary>Per-request timeout in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 30;

        /// <summary>References resolved at the same time (at most 8 per registry).</summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = 16;

        private readonly List<(string Path, PinFileFormat Format)> _files = new List<(string, PinFileFormat)>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private DigestResolver _resolver;

        protected override void ProcessRecord()
        {
            foreach (string path in Path)
            {
                foreach (string resolved in Resolve(path))
                {
                    try
                    {
                        foreach (var file in PinFileSet.Expand(resolved, Recurse.IsPresent))
                            if (_seen.Add(file.Path)) _files.Add(file);
                    }
                    catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
                    {
                        WriteError(ErrorRecords.For(ErrorCatalog.PinFileUnreadable, $"Cannot read {resolved}: {e.Message}", resolved, e));
                    }
                }
            }
        }

        /// <summary>The files, in the order they were named; each once.</summary>
        internal IReadOnlyList<(string Path, PinFileFormat Format)> Files => _files;

        internal ImagePinWorkflow Workflow()
        {
            _resolver = new DigestResolver(RegistryOptions.For(Credential, InsecureRegistry, TimeoutSec, Log), ThrottleLimit, Log);
            return new ImagePinWorkflow(_resolver, Log);
        }

        protected override void ReleaseResources()
        {
            _resolver?.Dispose();
            _resolver = null;
        }

        private IEnumerable<string> Resolve(string path)
        {
            try
            {
                var paths = GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider);
                if (provider.Name == "FileSystem") return paths;
                WriteError(ErrorRecords.For(ErrorCatalog.PinPathNotFound, $"{path} is not a file system path.", path));
                return Enumerable.Empty<string>();
            }
            catch (Exception e) when (e is ItemNotFoundException || e is DriveNotFoundException || e is ProviderNotFoundException)
            {
                WriteError(ErrorRecords.For(ErrorCatalog.PinPathNotFound, $"No file or folder at {path}.", path, e));
                return Enumerable.Empty<string>();
            }
        }
    }
}
