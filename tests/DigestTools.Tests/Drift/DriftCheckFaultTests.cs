using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Drift;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.Registry;
using DigestTools.Tests.Pinning;
using DigestTools.Tests.Support;
using DigestTools.TestServers;
using Xunit;

namespace DigestTools.Tests.Drift
{
    /// <summary>
    /// Drift when a question cannot be answered: the engine refusing a container's or its image's inspect (the real
    /// dockerd behind the fault proxy) is that container's failure while the others are still checked; a registry
    /// that refuses (the real registry behind the fault proxy) leaves the container's drift Unknown with the error.
    /// </summary>
    public sealed class DriftCheckFaultTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;

        private static async Task<IReadOnlyList<DriftResult>> CheckAsync(EngineClient client, params string[] containers)
        {
            using (var lookups = new DriftRegistryLookups(new RegistryClientOptions(), 16, new RecordingLog()))
                return await new DriftCheck(client, lookups).CheckAsync(containers, false, CancellationToken.None);
        }

        // Two containers on two images of one repository, both current; the engine refuses a request about the first.
        private static async Task TheRefusalIsTheFirstContainersFailureAsync(Func<EngineBehindProxy, string, Task<FaultRule>> refusal, ErrorKind kind, string message)
        {
            string repository = Env.Registry + "/drift-faults/" + LiveTools.UniqueName("repo");
            LiveTools.Push("hello", repository + ":hello");
            LiveTools.Push("alt", repository + ":alt");
            string hello = LiveTools.UniqueName("hello"), alt = LiveTools.UniqueName("alt");
            LiveTools.Docker(Env.DockerHost, "create", "--name", hello, "--network", "none", repository + ":hello");
            LiveTools.Docker(Env.DockerHost, "create", "--name", alt, "--network", "none", repository + ":alt");
            try
            {
                await using (EngineBehindProxy engine = await EngineBehindProxy.StartAsync(Env.DockerHost, TimeSpan.FromSeconds(30)))
                {
                    engine.Proxy.Rules.Add(await refusal(engine, hello));

                    IReadOnlyList<DriftResult> results = await CheckAsync(engine.Client, hello, alt);

                    Assert.Equal(hello, results[0].Target);
                    Assert.Null(results[0].Drift);
                    Assert.Equal(kind, Assert.IsType<FailureException>(results[0].Failure).Kind);
                    Assert.Contains(message, results[0].Failure.Message);
                    Assert.Equal((alt, ContainerDriftStatus.Current), (results[1].Drift.Name, results[1].Drift.Status));
                }
            }
            finally
            {
                LiveTools.CleanUp(Env.DockerHost, new[] { hello, alt }, repository + ":hello", repository + ":alt");
            }
        }

        [Fact]
        public Task AContainerInspectTheEngineRefusesIsThatContainersFailureAndTheOthersAreChecked()
            => TheRefusalIsTheFirstContainersFailureAsync(
                (engine, name) => Task.FromResult(FaultRule.EngineError("GET", $"/containers/{name}/json", 500, "dt: inspect refused")),
                ErrorCatalog.ContainerInspectFailed, "dt: inspect refused");

        [Fact]
        public Task AnImageInspectTheEngineRefusesIsThatContainersFailureUnderItsName()
            => TheRefusalIsTheFirstContainersFailureAsync(async (engine, name) =>
                {
                    string imageId = (await engine.Direct.InspectContainerAsync(name, CancellationToken.None)).ImageId;
                    return FaultRule.EngineError("GET", $"/images/[^/]*{imageId.Substring(7)}/json", 500, "dt: image inspect refused");
                },
                ErrorCatalog.ImageInspectFailed, "dt: image inspect refused");

        [Fact]
        public async Task AContainerWhoseEngineNamesNoImageIsLocalOnlyAndCannotBeCopied()
        {
            string repository = Env.Registry + "/drift-faults/" + LiveTools.UniqueName("no-image");
            LiveTools.Push("hello", repository + ":v1");
            string name = LiveTools.UniqueName("no-image");
            LiveTools.Docker(Env.DockerHost, "create", "--name", name, "--network", "none", repository + ":v1");
            try
            {
                await using (EngineBehindProxy engine = await EngineBehindProxy.StartAsync(Env.DockerHost, TimeSpan.FromSeconds(30)))
                {
                    // The container's inspect names no image id (its Config.Image still names the tag).
                    engine.Proxy.Rules.Add(new FaultRule { Method = "GET", Path = $"/containers/{name}/json", Action = "replace-text", Find = "\"Image\":\"sha256:", Value = "\"Image\":\"\",\"dt-was\":\"" });

                    ContainerDrift drift = Assert.Single(await CheckAsync(engine.Client, name)).Drift;
                    Assert.Equal((ContainerDriftStatus.LocalOnly, (string)null), (drift.Status, drift.RunningDigest));

                    var refused = await Assert.ThrowsAsync<FailureException>(() => ContainerReplicaSource.ReadAsync(engine.Client, name, new RegistryClientOptions(), CancellationToken.None));
                    Assert.Equal(ErrorCatalog.NoRegistryDigest, refused.Kind);
                    Assert.StartsWith($"Container {name} runs an image the engine does not name ('{repository}:v1'), which has no registry digest", refused.Message);
                }
            }
            finally
            {
                LiveTools.CleanUp(Env.DockerHost, new[] { name }, repository + ":v1");
            }
        }

        [Fact]
        public async Task ARegistryThatRefusesLeavesTheDriftUnknownWithItsError()
        {
            // The image comes from the registry behind the proxy, so the container's repository names the proxy.
            await using (FaultServer registry = FaultServer.Started(Env.Registry))
            {
                string path = "drift-faults/" + LiveTools.UniqueName("refused");
                LiveTools.Push("hello", Env.Registry + "/" + path + ":v1");
                string repository = registry.Address + "/" + path;
                string name = LiveTools.UniqueName("refused");
                LiveTools.Docker(Env.DockerHost, "create", "--name", name, "--network", "none", repository + ":v1");
                try
                {
                    registry.Rules.Add(new FaultRule { Path = "/manifests/", Action = "status", Status = 403,
                        Body = "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"dt: refused\"}]}" });
                    using (EngineClient client = LiveTools.Connect(Env.DockerHost))
                    {
                        DriftResult result = Assert.Single(await CheckAsync(client, name));

                        Assert.Null(result.Failure);
                        Assert.Equal((ContainerDriftStatus.Unknown, Env.OciDigest, repository), (result.Drift.Status, result.Drift.RunningDigest, result.Drift.Repository));
                        Assert.Equal(ErrorCatalog.Denied, Assert.IsType<FailureException>(result.Drift.Error).Kind);
                    }
                }
                finally
                {
                    LiveTools.CleanUp(Env.DockerHost, new[] { name }, repository + ":v1");
                }
            }
        }
    }
}
