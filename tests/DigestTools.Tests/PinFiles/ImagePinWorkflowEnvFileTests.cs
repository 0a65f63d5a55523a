using System.Linq;
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
    /// <summary>
    /// The .env beside YAML files, through the workflow: only Compose files read it, so an unreadable .env fails
    /// the Compose files of its folder and leaves a Kubernetes manifest or Dockerfile beside them alone. The
    /// references are unpinned, so Test-ImagePin asks no registry.
    /// </summary>
    public class ImagePinWorkflowEnvFileTests
    {
        [Fact]
        public async Task AnUnreadableEnvFileFailsTheComposeFilesBesideItAndNoOtherFile()
        {
            using (var folder = new EnvFileFolder())
            using (var resolver = new DigestResolver(new RegistryClientOptions(), 4, new RecordingLog()))
            {
                string manifest = folder.Write("deploy.yaml", "kind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - {name: web, image: nginx:1.27}\n");
                string compose = folder.Write("compose.yaml", "services:\n  api:\n    image: app:${TAG}\n");
                string second = folder.Write("compose.override.yaml", "services:\n  db:\n    image: postgres:16\n");
                string dockerfile = folder.Write("Dockerfile", "FROM alpine:3.20\n");
                folder.Write(".env", "TAG=1\n");
                var files = new[] { (manifest, PinFileFormat.Yaml), (compose, PinFileFormat.Yaml), (second, PinFileFormat.Yaml), (dockerfile, PinFileFormat.Dockerfile) };

                var workflow = new ImagePinWorkflow(resolver, new RecordingLog());
                using (folder.Lock())
                {
                    var results = await workflow.CheckAsync(files, CancellationToken.None);

                    Assert.Equal(new[] { manifest, compose, second, dockerfile }, results.Select(r => r.Path));
                    Assert.Null(results[0].Error);
                    Assert.Equal("docker.io/library/nginx:1.27|Unpinned", Row(results[0].Findings.Single()));
                    foreach (var (result, path) in new[] { (results[1], compose), (results[2], second) })
                    {
                        Assert.Equal(ErrorCatalog.PinFileUnreadable, result.Error.Kind);
                        Assert.StartsWith($"Cannot read the .env file beside {path}: ", result.Error.Message);
                        Assert.Empty(result.Findings);
                    }
                    Assert.Null(results[3].Error);
                    Assert.Equal("docker.io/library/alpine:3.20|Unpinned", Row(results[3].Findings.Single()));
                }

                // Readable again: the next call reads it and interpolates.
                var again = await workflow.CheckAsync(files, CancellationToken.None);
                Assert.All(again, r => Assert.Null(r.Error));
                Assert.Equal("docker.io/library/app:1|Unpinned", Row(again[1].Findings.Single()));
            }
        }

        private static string Row(ImagePinFinding finding) => $"{finding.Parsed}|{finding.Status}";
    }
}
