using System;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.References;
using DigestTools.Tests.Support;
using DigestTools.TestServers;
using Xunit;

namespace DigestTools.Tests.Pinning
{
    /// <summary>
    /// ReplicaCreator against the real engines behind the fault proxy, when a create reply parses but names the
    /// wrong container: the call fails as an engine that cannot be trusted, removes what it really created (found by
    /// its creation id) and never touches the container the reply named.
    /// </summary>
    public sealed class ReplicaCreatorFaultTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;

        private static ReplicaRequest Request(string image, string name) => new ReplicaRequest
        {
            Source = ParsedReference.Parse(image),
            Pinned = ParsedReference.Parse(image),
            Names = ReplicaNames.For(name, 2),
            Template = new ContainerSpec { Network = "none", Labels = { ["dt-test"] = "replica-faults" } },
        };

        // The second replica's create reply is rewritten on its way back; the engine did create that container.
        private static void AlterSecondCreateReply(FaultServer proxy, string name, string replacement)
            => proxy.Rules.Add(new FaultRule { Method = "POST", Path = $"/containers/create\\?name={name}-2$", Action = "replace-text", Find = "\"Id\":\"", Value = replacement });

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task AReplyNamingAContainerTheEngineDoesNotHaveRollsBackWhatWasReallyCreated(string engine)
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost(engine), TimeSpan.FromSeconds(30)))
            {
                string image = await EngineFixture.PulledOciAsync(engines.Direct);
                string name = "dt-altered-id-" + Guid.NewGuid().ToString("n").Substring(0, 12);
                AlterSecondCreateReply(engines.Proxy, name, "\"Id\":\"0");   // still a string, one character longer

                FailureException e = await Assert.ThrowsAsync<FailureException>(() => new ReplicaCreator(engines.Client).CreateAsync(Request(image, name), CancellationToken.None));

                Assert.Equal(ErrorCatalog.NotAContainerEngine, e.Kind);
                Assert.Contains($"Replica 2 of 2 failed: The address tcp://{engines.Proxy.Address} (from -EngineUri) did not answer like a container engine when asked to create {name}-2: its reply named container 0", e.Message);
                Assert.Contains(", which the engine does not have, so the reply cannot be trusted. Rolled back (removed) 2 container(s) created by this call: ", e.Message);
                Assert.Null(await engines.Direct.InspectContainerAsync(name + "-1", CancellationToken.None));
                Assert.Null(await engines.Direct.InspectContainerAsync(name + "-2", CancellationToken.None));
            }
        }

        [Theory]
        [InlineData("Docker")]
        [InlineData("Podman")]
        public async Task AReplyNamingSomeoneElsesContainerLeavesThatOneAloneAndRemovesOurs(string engine)
        {
            await using (EngineBehindProxy engines = await EngineBehindProxy.StartAsync(Env.EngineHost(engine), TimeSpan.FromSeconds(30)))
            {
                string image = await EngineFixture.PulledOciAsync(engines.Direct);
                string name = "dt-other-id-" + Guid.NewGuid().ToString("n").Substring(0, 12);
                string bystander = (await engines.Direct.CreateContainerAsync(new ContainerSpec { Image = image, Name = name + "-bystander", Network = "none" }, CancellationToken.None)).Id;
                try
                {
                    // {"Id":"<bystander>","Real":"<what the engine made>",...}: valid JSON whose Id is another container.
                    AlterSecondCreateReply(engines.Proxy, name, $"\"Id\":\"{bystander}\",\"Real\":\"");

                    FailureException e = await Assert.ThrowsAsync<FailureException>(() => new ReplicaCreator(engines.Client).CreateAsync(Request(image, name), CancellationToken.None));

                    Assert.Equal(ErrorCatalog.NotAContainerEngine, e.Kind);
                    Assert.Contains($"its reply named container {bystander.Substring(0, 12)}, which is not the container this create made, so the reply cannot be trusted.", e.Message);
                    Assert.Contains("Rolled back (removed) 2 container(s) created by this call: ", e.Message);
                    Assert.DoesNotContain(bystander.Substring(0, 12), e.Message.Substring(e.Message.IndexOf("Rolled back", StringComparison.Ordinal)));
                    Assert.Null(await engines.Direct.InspectContainerAsync(name + "-1", CancellationToken.None));
                    Assert.Null(await engines.Direct.InspectContainerAsync(name + "-2", CancellationToken.None));
                    Assert.NotNull(await engines.Direct.InspectContainerAsync(bystander, CancellationToken.None));
                }
                finally
                {
                    await engines.Direct.RemoveContainerAsync(bystander, true, CancellationToken.None);
                }
            }
        }
    }
}
