using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.PinFiles;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using DigestTools.Tests.PinFiles;
using DigestTools.TestServers;
using Xunit;

namespace DigestTools.Tests.Pinning
{
    using ImagePinStatus = DigestTools.Engine.PinFiles.ImagePinStatus;

    /// <summary>
    /// Test-ImagePin's and Update-ImagePin's workflow when the registry (the suite's, behind the fault proxy) does not
    /// answer as it should: a call stopped while an answer is held is a stop (OperationCanceledException), not a report
    /// of every reference as unresolvable, and the file is left as it was; a pin the registry fails to look up (500) is
    /// that reference's error, not a missing pin.
    /// </summary>
    public sealed class ImagePinWorkflowFaultTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;

        private static string Repository(string reference) => ParsedReference.Parse(reference).Repository;

        // Runs `call` on a Dockerfile naming the registry through the proxy, which holds every answer whose path contains
        // `held`; once it holds one, stops the call. What the caller sees: a stop, and the file as it was.
        private static async Task StopsWhileHeldAsync(string held, Func<string, string> dockerfile, Func<ImagePinWorkflow, string, CancellationToken, Task> call)
        {
            await using (FaultServer proxy = FaultServer.Started(Env.Registry))
            using (var folder = new EnvFileFolder())
            using (var resolver = new DigestResolver(new RegistryClientOptions(), 4, new RecordingLog()))
            using (var stop = new CancellationTokenSource())
            {
                proxy.Rules.Add(new FaultRule { Path = held, Action = "delay", DelayMs = 60000 });
                string path = folder.Write("Dockerfile", dockerfile(proxy.Address));
                byte[] before = File.ReadAllBytes(path);

                Task running = call(new ImagePinWorkflow(resolver, new RecordingLog()), path, stop.Token);
                for (int i = 0; i < 600 && !proxy.Requests.Any(r => r.Path.Contains(held)); i++) await Task.Delay(50);
                Assert.Contains(proxy.Requests, r => r.Path.Contains(held));
                stop.Cancel();

                Assert.IsAssignableFrom<OperationCanceledException>(await Record.ExceptionAsync(() => running));
                Assert.Equal(before, File.ReadAllBytes(path));
            }
        }

        [Fact]
        public Task UpdateStoppedWhileTheTagIsResolvedStopsAndLeavesTheFileAsItWas()
            => StopsWhileHeldAsync("/manifests/", registry => $"FROM {registry}/{Repository(Env.OciReference)}:hello\nRUN true\n",
                (workflow, path, token) => workflow.PlanUpdateAsync(new[] { (path, PinFileFormat.Dockerfile) }, false, token));

        [Fact]
        public Task CheckStoppedWhileThePinIsResolvedStops()
            => StopsWhileHeldAsync("/manifests/", registry => $"FROM {registry}/{Repository(Env.OciReference)}@{Env.OciDigest}\n",
                (workflow, path, token) => workflow.CheckAsync(new[] { (path, PinFileFormat.Dockerfile) }, token));

        [Fact]
        public async Task CheckStoppedWhileAPlatformsChildManifestIsAskedForStops()
        {
            ManifestResolution amd64;
            using (var resolver = new DigestResolver(new RegistryClientOptions(), 4, new RecordingLog()))
                amd64 = await resolver.Resolve(ParsedReference.Parse(Env.OciIndexReference), "linux/amd64", CancellationToken.None);
            Assert.NotEqual(amd64.Digest, amd64.PlatformDigest);

            // Only the child is held: the index (the pin itself) is answered at once.
            await StopsWhileHeldAsync("/manifests/" + amd64.PlatformDigest,
                registry => $"FROM --platform=linux/amd64 {registry}/{Repository(Env.OciIndexReference)}@{amd64.Digest}\n",
                (workflow, path, token) => workflow.CheckAsync(new[] { (path, PinFileFormat.Dockerfile) }, token));
        }

        [Fact]
        public async Task APinTheRegistryFailsToLookUpIsThatReferencesErrorNotAMissingPin()
        {
            await using (FaultServer proxy = FaultServer.Started(Env.Registry))
            using (var folder = new EnvFileFolder())
            using (var resolver = new DigestResolver(new RegistryClientOptions(), 4, new RecordingLog()))
            {
                proxy.Rules.Add(new FaultRule { Path = "/manifests/" + Env.OciDigest, Action = "status", Status = 500,
                    Body = "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"dt: storage unavailable\"}]}" });
                string path = folder.Write("Dockerfile", $"FROM {proxy.Address}/{Repository(Env.OciReference)}@{Env.OciDigest}\n" +
                    $"FROM {proxy.Address}/{Repository(Env.DockerReference)}@{Env.DockerDigest}\n");
                byte[] before = File.ReadAllBytes(path);
                var workflow = new ImagePinWorkflow(resolver, new RecordingLog());

                var findings = (await workflow.CheckAsync(new[] { (path, PinFileFormat.Dockerfile) }, CancellationToken.None)).Single().Findings;

                Assert.Equal(new[] { ImagePinStatus.Unresolvable, ImagePinStatus.Pinned }, findings.Select(f => f.Status));
                Assert.Equal(ErrorCatalog.RegistryServerError, findings[0].Error.Kind);
                Assert.Equal($"{proxy.Address}/{Repository(Env.OciReference)}@{Env.OciDigest}: dt: storage unavailable " +
                    $"(registry {proxy.Address} answered UNKNOWN, HTTP 500).", findings[0].Reason);
                Assert.Equal(findings[0].Error.Message, findings[0].Reason);
                Assert.Null(findings[1].Error);
                Assert.Equal(before, File.ReadAllBytes(path));
            }
        }
    }
}
