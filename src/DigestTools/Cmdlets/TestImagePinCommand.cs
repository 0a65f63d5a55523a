using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DigestTools.Engine.Errors;
using DigestTools.Engine.PinFiles;

namespace DigestTools
{
    /// <summary>
    /// Test-ImagePin: reports each image reference of the files with a Status (Pinned, TagMoved, PinMissing,
    /// Unpinned, Unresolvable). Writes nothing to the files. -Strict ends with a terminating error when any
    /// reference is not Pinned, so a CI job fails.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "ImagePin")]
    [OutputType(typeof(ImagePinCheck))]
    public sealed class TestImagePinCommand : ImagePinCmdlet
    {
        /// <summary>End with the terminating error ImagePinCheckFailed when any reference is not Pinned (or a file cannot be read).</summary>
        [Parameter]
        public SwitchParameter Strict { get; set; }

        protected override void EndProcessing()
        {
            ImagePinWorkflow workflow = Workflow();
            var results = Run(ct => workflow.CheckAsync(Files, ct));
            var failing = new List<string>();
            int references = 0;
            foreach (PinFileResult file in results)
            {
                if (file.Error != null)
                {
                    WriteError(ErrorRecords.From(file.Error, file.Path));
                    failing.Add($"{file.Path}: {file.Error.ErrorId}");
                    continue;
                }
                foreach (ImagePinFinding finding in file.Findings)
                {
                    references++;
                    WriteObject(ImagePinCheck.From(finding));
                    if (finding.Status != Engine.PinFiles.ImagePinStatus.Pinned) failing.Add($"{finding.File}:{finding.Site.Line} {finding.Site.Text}: {finding.Status}");
                }
            }
            if (Strict.IsPresent && failing.Count > 0)
            {
                string message = $"{failing.Count} of {references} image reference(s) are not pinned to a current digest:\n  " + string.Join("\n  ", failing.Take(20))
                    + (failing.Count > 20 ? $"\n  ... and {failing.Count - 20} more" : string.Empty);
                ThrowTerminatingError(ErrorRecords.For(ErrorCatalog.ImagePinCheckFailed, message, Path));
            }
        }
    }
}
