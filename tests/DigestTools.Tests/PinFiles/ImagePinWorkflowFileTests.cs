using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.PinFiles;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.Registry;
using DigestTools.Tests.Pinning;
using Xunit;

namespace DigestTools.Tests.PinFiles
{
    using ImagePinAction = DigestTools.Engine.PinFiles.ImagePinAction;
    using ImagePinStatus = DigestTools.Engine.PinFiles.ImagePinStatus;

    /// <summary>
    /// The workflow's file side, where no registry is asked: files that cannot be read or parsed, references
    /// settled before any request (skipped, invalid, unpinned, a digest without tag), and Apply's guard that
    /// the file still holds the bytes it was planned from. The registry side runs in ImagePin.Tests.ps1.
    /// </summary>
    public class ImagePinWorkflowFileTests
    {
        private const string Digest = PinFileTestText.Digest;

        private static (ImagePinWorkflow Workflow, RecordingLog Log, DigestResolver Resolver) NewWorkflow()
        {
            var log = new RecordingLog();
            var resolver = new DigestResolver(new RegistryClientOptions(), 4, log);
            return (new ImagePinWorkflow(resolver, log), log, resolver);
        }

        [Fact]
        public async Task FilesThatCannotBeReadOrParsedFailAloneAndTheOthersAreRead()
        {
            using (var folder = new EnvFileFolder())
            {
                string locked = folder.Write("locked/Dockerfile", "FROM a:1\n");
                string binary = folder.File("binary.Dockerfile");
                File.WriteAllBytes(binary, new byte[] { 0x46, 0x52, 0xFF, 0x0A });
                string broken = folder.Write("broken.yaml", "services:\n  a: [b\n");
                string good = folder.Write("Dockerfile", "FROM a:1\n");
                var (workflow, log, resolver) = NewWorkflow();
                using (resolver)
                using (new FileStream(locked, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                    var results = await workflow.CheckAsync(new[]
                    {
                        (locked, PinFileFormat.Dockerfile), (binary, PinFileFormat.Dockerfile), (broken, PinFileFormat.Yaml), (good, PinFileFormat.Dockerfile),
                    }, CancellationToken.None);

                    Assert.Equal(ErrorCatalog.PinFileUnreadable, results[0].Error.Kind);
                    Assert.StartsWith($"Cannot read {locked}: ", results[0].Error.Message);
                    Assert.Equal(ErrorCatalog.PinFileUnreadable, results[1].Error.Kind);
                    Assert.Equal($"Cannot read {binary}: The file is not UTF-8 text.", results[1].Error.Message);
                    Assert.Equal(ErrorCatalog.PinFileInvalid, results[2].Error.Kind);
                    Assert.StartsWith($"{broken} is not valid YAML (line 3, column 1): ", results[2].Error.Message);
                    Assert.DoesNotContain("template", results[2].Error.Message);   // that sentence is for a file holding {{ }}
                    Assert.All(results.Take(3), r => Assert.Empty(r.Findings));
                    Assert.Null(results[3].Error);
                    Assert.Equal(ImagePinStatus.Unpinned, results[3].Findings.Single().Status);
                    Assert.Equal(new[] { $"{good}: 1 image reference(s) found (Dockerfile)." }, log.VerboseLines);
                }
            }
        }

        [Fact]
        public async Task ATemplateThatIsNotYamlSaysSo()
        {
            using (var folder = new EnvFileFolder())
            {
                string chart = folder.Write("templates/pod.yaml", "{{- if .Values.enabled }}\nkind: Pod\n{{- end }}\n");
                var (workflow, _, resolver) = NewWorkflow();
                using (resolver)
                {
                    var result = (await workflow.CheckAsync(new[] { (chart, PinFileFormat.Yaml) }, CancellationToken.None)).Single();
                    Assert.Equal(ErrorCatalog.PinFileInvalid, result.Error.Kind);
                    Assert.StartsWith($"{chart} is not valid YAML (line 1, column ", result.Error.Message);
                    Assert.EndsWith(" It holds template expressions ({{ }}): pin the values it is rendered from, or its rendered output.", result.Error.Message);
                }
            }
        }

        [Fact]
        public async Task ReferencesSettledWithoutARequest()
        {
            using (var folder = new EnvFileFolder())
            {
                string path = folder.Write("Dockerfile", $"FROM ${{UNSET}}/a:1\nFROM Upper/Case:1\nFROM a@{Digest}\nFROM b:2\n");
                var (workflow, _, resolver) = NewWorkflow();
                using (resolver)
                {
                    var files = new[] { (path, PinFileFormat.Dockerfile) };
                    var check = (await workflow.CheckAsync(files, CancellationToken.None)).Single().Findings;
                    var plan = (await workflow.PlanUpdateAsync(files.Take(0), false, CancellationToken.None));
                    Assert.Empty(plan);

                    Assert.Equal(new[] { ImagePinStatus.Unresolvable, ImagePinStatus.Unresolvable }, check.Take(2).Select(f => f.Status));
                    Assert.Equal(ImagePinAction.Skipped, check[0].Action);
                    Assert.Equal("the variable UNSET has no default in the file", check[0].Reason);
                    Assert.Null(check[0].Parsed);
                    Assert.StartsWith("Invalid image reference 'Upper/Case:1': ", check[1].Reason);
                    Assert.Equal(ImagePinStatus.Unpinned, check[3].Status);
                    Assert.Null(check[3].Digest);
                    Assert.Equal("docker.io/library/b:2", check[3].Parsed.ToString());

                    // Update: only the digest without tag is settled here; the others are left to the registry.
                    string digestOnly = folder.Write("digest/Dockerfile", $"FROM a@{Digest}\nFROM ${{UNSET}}\n");
                    var update = (await workflow.PlanUpdateAsync(new[] { (digestOnly, PinFileFormat.Dockerfile) }, true, CancellationToken.None)).Single();
                    Assert.Equal(new[] { ImagePinAction.Skipped, ImagePinAction.Skipped }, update.Findings.Select(f => f.Action));
                    Assert.Equal("pinned by digest alone: there is no tag to refresh it from", update.Findings[0].Reason);
                    Assert.Empty(update.Changes);
                }
            }
        }

        [Fact]
        public async Task ApplyWritesOnlyOverTheBytesItPlannedFrom()
        {
            using (var folder = new EnvFileFolder())
            {
                string path = folder.File("Dockerfile");
                byte[] bom = { 0xEF, 0xBB, 0xBF };
                File.WriteAllBytes(path, bom.Concat(Encoding.UTF8.GetBytes("FROM a:1\r\nFROM b:2\r\n")).ToArray());
                var (workflow, log, resolver) = NewWorkflow();
                using (resolver)
                {
                    var file = (await workflow.CheckAsync(new[] { (path, PinFileFormat.Dockerfile) }, CancellationToken.None)).Single();
                    // As a plan would have it: the new text of the second reference.
                    file.Findings[1].NewText = $"b:2@{Digest}";
                    Assert.Equal(new[] { file.Findings[1] }, file.Changes);

                    File.AppendAllText(path, "# edited meanwhile\n");
                    // Nothing approved (-WhatIf, or every change declined): the file is neither read nor written, so
                    // an edit made meanwhile is no error and stays.
                    workflow.Apply(file, Enumerable.Empty<ImagePinFinding>());
                    Assert.EndsWith("# edited meanwhile\n", File.ReadAllText(path));
                    var changed = Assert.Throws<FailureException>(() => workflow.Apply(file, file.Changes));
                    Assert.Equal(ErrorCatalog.PinFileChanged, changed.Kind);
                    Assert.Equal($"{path} changed while its references were resolved; run the command again.", changed.Message);
                    Assert.EndsWith("# edited meanwhile\n", File.ReadAllText(path));

                    File.WriteAllBytes(path, file.Original);
                    workflow.Apply(file, file.Changes);
                    Assert.Equal(bom.Concat(Encoding.UTF8.GetBytes($"FROM a:1\r\nFROM b:2@{Digest}\r\n")), File.ReadAllBytes(path));
                    Assert.Contains($"{path}: 1 reference(s) pinned.", log.VerboseLines);

                    File.Delete(path);
                    var gone = Assert.Throws<FailureException>(() => workflow.Apply(file, file.Changes));
                    Assert.Equal(ErrorCatalog.PinFileWriteFailed, gone.Kind);
                    Assert.StartsWith($"Cannot write {path}: ", gone.Message);
                }
            }
        }
    }
}
