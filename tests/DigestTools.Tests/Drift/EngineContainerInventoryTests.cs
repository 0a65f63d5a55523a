using System.Linq;
using System.Threading;
using DigestTools.Engine.Docker;
using DigestTools.Tests.Pinning;
using Xunit;

namespace DigestTools.Tests.Drift
{
    /// <summary>Listing containers and reading their configuration, against the real dockerd and Podman.</summary>
    public sealed class EngineContainerInventoryTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async System.Threading.Tasks.Task ListShowsRunningContainersAndStoppedOnesOnlyWithAll(string engine)
        {
            string host = Env.EngineHost(engine);
            string repository = Env.Registry + "/inventory/" + LiveTools.UniqueName("list");
            LiveTools.Push("hello", repository + ":v1");
            string running = LiveTools.UniqueName("running");
            string stopped = LiveTools.UniqueName("stopped");
            try
            {
                LiveTools.Docker(host, "run", "-d", "--name", running, "--network", "none", repository + ":v1", "sleep", "300");
                LiveTools.Docker(host, "create", "--name", stopped, "--network", "none", repository + ":v1");
                using (EngineClient client = LiveTools.Connect(host))
                {
                    var live = await client.ListContainersAsync(false, CancellationToken.None);
                    var every = await client.ListContainersAsync(true, CancellationToken.None);

                    EngineContainer listed = Assert.Single(live, c => c.Name == running);
                    Assert.Equal("running", listed.State);
                    Assert.Equal(repository + ":v1", listed.ConfiguredImage);
                    Assert.DoesNotContain(live, c => c.Name == stopped);
                    Assert.Equal("created", Assert.Single(every, c => c.Name == stopped).State);
                    Assert.Contains(every, c => c.Name == running);
                }
            }
            finally
            {
                LiveTools.CleanUp(host, new[] { running, stopped }, repository + ":v1");
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async System.Threading.Tasks.Task InspectReadsTheWholeConfigurationAReplicaCopies(string engine)
        {
            string host = Env.EngineHost(engine);
            string repository = Env.Registry + "/inventory/" + LiveTools.UniqueName("config");
            string digest = LiveTools.Push("hello", repository + ":v1");
            string name = LiveTools.UniqueName("configured");
            try
            {
                LiveTools.Docker(host, "create", "--name", name, "--network", "none", "-e", "FOO=bar baz", "-l", "role=primary",
                    "--restart", "on-failure:3", "-u", "1000", "-w", "/tmp", "--entrypoint", "/bin/sh",
                    "-v", "/tmp:/host-tmp:ro", "--mount", "type=tmpfs,target=/scratch", "-p", "127.0.0.1:18080:80",
                    repository + ":v1", "-c", "echo hi");
                using (EngineClient client = LiveTools.Connect(host))
                {
                    ContainerConfiguration c = await client.InspectContainerConfigurationAsync(name, CancellationToken.None);
                    string imageId = LiveTools.Docker(host, "image", "inspect", "--format", "{{.Id}}", repository + ":v1");

                    Assert.Equal(name, c.Name);
                    Assert.Equal(repository + ":v1", c.ConfiguredImage);
                    Assert.Equal(imageId, c.ImageId);
                    Assert.Equal("created", c.State);
                    Assert.Equal("primary", c.Labels["role"]);
                    Assert.Equal(new[] { "/bin/sh" }, c.Entrypoint);
                    Assert.Equal(new[] { "-c", "echo hi" }, c.Command);
                    Assert.Contains("FOO=bar baz", c.Environment);
                    Assert.Contains("PATH=/bin", c.Environment);   // the image's default, as the engine merged it
                    Assert.StartsWith("/tmp:/host-tmp:ro", Assert.Single(c.Binds));   // Podman adds its defaults: ",rprivate,rbind"
                    MountSpec mount = Assert.Single(c.Mounts);
                    Assert.Equal(("tmpfs", "/scratch", false), (mount.Type, mount.Target, mount.ReadOnly));
                    Assert.Equal("none", c.NetworkMode);
                    Assert.Equal(("on-failure", 3L), (c.RestartPolicy.Name, c.RestartPolicy.MaximumRetryCount));
                    Assert.Equal("1000", c.User);
                    Assert.Equal("/tmp", c.WorkingDirectory);
                    // Podman drops port bindings of a container without a network; Docker keeps them.
                    Assert.Equal(engine == "Docker" ? new[] { "127.0.0.1:18080->80/tcp" } : new string[0], c.PublishedPorts);

                    EngineImage image = await client.InspectImageAsync(c.ImageId, CancellationToken.None);
                    Assert.Contains(repository + "@" + digest, image.RepoDigests);
                    Assert.Equal("linux/amd64", image.Platform);
                }
            }
            finally
            {
                LiveTools.CleanUp(host, new[] { name }, repository + ":v1");
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async System.Threading.Tasks.Task InspectOfAMissingContainerIsNull(string engine)
        {
            using (EngineClient client = LiveTools.Connect(Env.EngineHost(engine)))
                Assert.Null(await client.InspectContainerConfigurationAsync(LiveTools.UniqueName("absent"), CancellationToken.None));
        }
    }
}
