using System.Linq;
using System.Management.Automation;
using DigestTools.Engine.Errors;
using DigestTools.Engine.PinFiles;

namespace DigestTools
{
    /// <summary>
    /// Update-ImagePin: rewrites the image references of Dockerfiles, Compose files and Kubernetes manifests to
    /// name:tag@digest, changing only the reference characters. -Refresh also rewrites pins whose tag moved.
    /// Each change goes through ShouldProcess (-WhatIf lists them: file, line, old -> new).
    /// </summary>
    [Cmdlet(VerbsData.Update, "ImagePin", SupportsShouldProcess = true)]
    [OutputType(typeof(ImagePinUpdate))]
    public sealed class UpdateImagePinCommand : ImagePinCmdlet
    {
        /// <summary>Also rewrite name:tag@digest pins whose tag now names another digest.</summary>
        [Parameter]
        public SwitchParameter Refresh { get; set; }

        protected override void EndProcessing()
        {
            ImagePinWorkflow workflow = Workflow();
            var results = Run(ct => workflow.PlanUpdateAsync(Files, Refresh.IsPresent, ct));
            foreach (PinFileResult file in results)
            {
                if (file.Error != null) { WriteError(ErrorRecords.From(file.Error, file.Path)); continue; }

                var approved = file.Changes.Where(c => ShouldProcess($"{c.File}:{c.Site.Line}: {c.Site.Text} -> {c.NewText}", "Pin image reference")).ToList();
                try
                {
                    workflow.Apply(file, approved);
                }
                catch (FailureException e)
                {
                    WriteError(ErrorRecords.From(e, file.Path));
                    continue;
                }
                foreach (ImagePinFinding finding in file.Findings)
                {
                    if (finding.Error != null) WriteError(ErrorRecords.From(finding.Error, ImagePinUpdate.From(finding)));
                    else if (finding.NewText == null || approved.Contains(finding)) WriteObject(ImagePinUpdate.From(finding));
                }
            }
        }
    }
}
