using System;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using DigestTools.Engine.References;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Swarm;
using DigestTools.Tests.Pinning;
using Xunit;

namespace DigestTools.Tests.Swarm
{
    /// <summary>
    /// Re-pinning a service on the real Swarm after its tag moved: the plan reads the old and new digests, the apply
    /// writes the new spec image and pin labels (Swarm's record, asked again), and a caller's tag@digest follows the tag.
    /// </summary>
    public sealed class PinnedServiceUpdaterTests
    {
        private static TestEnvironment Env => TestEnvironment.Current;
        private static readonly CancellationToken None = CancellationToken.None;

        [Fact]
        public async Task AMovedTagPlansAChangeAndTheApplyRepinsTheServiceOntoTheNewDigest()
        {
            string run = Guid.NewGuid().ToString("n").Substring(0, 8);
            var tagged = ParsedReference.Parse($"{Env.Registry}/service-repin-{run}/busybox:v1");
            await RegistryCopy.CopyAsync(ParsedReference.Parse(Env.OciReference), tagged);
            var resolver = new ServiceImageResolver(new RegistryClientOptions());
            string name = "dt-repin-" + run;
            using (EngineClient swarm = await EngineClient.ConnectAsync(DockerCli.Endpoint(Env.SwarmHost), None))
            {
                try
                {
                    ServiceImagePin first = await resolver.ResolveAsync(tagged, null, None);
                    await new PinnedServiceCreator(swarm).CreateAsync(new SwarmServiceSpec { Name = name, Replicas = 0, Command = new[] { "sleep", "600" } }, first, null, None);
                    await RegistryCopy.CopyAsync(ParsedReference.Parse(Env.OciAltReference), tagged);   // the tag moves

                    var updater = new PinnedServiceUpdater(swarm);
                    EngineService service = await updater.FindAsync(name, None);
                    ServiceRepinPlan plan = await updater.PlanAsync(service, null, resolver, None);
                    Assert.True(plan.Changes);
                    Assert.Equal((first.Image, Env.OciDigest), (plan.OldImage, plan.OldDigest));
                    Assert.NotEqual(Env.OciDigest, plan.NewDigest);
                    Assert.Equal(tagged.Name + ":v1@" + plan.NewDigest, plan.Pin.Image);

                    // A caller's tag@digest follows the tag: the written digest would pin the old bytes again.
                    ServiceRepinPlan explicitPlan = await updater.PlanAsync(service, $"{tagged}@{Env.OciDigest}", resolver, None);
                    Assert.Equal(plan.NewDigest, explicitPlan.NewDigest);

                    await updater.ApplyAsync(plan, null, None);
                    EngineService after = await updater.FindAsync(name, None);
                    Assert.Equal(plan.Pin.Image, after.Image);
                    Assert.Equal(plan.NewDigest, after.Labels[PinLabels.Digest]);
                    Assert.Equal(plan.Pin.PinnedReference, after.Labels[PinLabels.PinnedReference]);
                    Assert.Equal(tagged.ToString(), after.Labels[PinLabels.SourceReference]);
                    Assert.False((await updater.PlanAsync(after, null, resolver, None)).Changes);
                }
                finally
                {
                    try { DockerCli.Run(Env.SwarmHost, "service", "rm", name); } catch (InvalidOperationException) { }
                }
            }
        }

        [Fact]
        public async Task AnUnreadableSourceLabelIsInvalidReferenceNamingTheService()
        {
            using (EngineClient swarm = await EngineClient.ConnectAsync(DockerCli.Endpoint(Env.SwarmHost), None))
            {
                var service = new EngineService { Name = "svc", Image = "x@sha256:" + new string('a', 64) };
                service.Labels[PinLabels.SourceReference] = "Not/A/Reference";
                Assert.Equal("Not/A/Reference", PinnedServiceUpdater.SourceReferenceOf(service));
                FailureException e = await Assert.ThrowsAsync<FailureException>(() =>
                    new PinnedServiceUpdater(swarm).PlanAsync(service, null, new ServiceImageResolver(new RegistryClientOptions()), None));
                Assert.Equal(ErrorCatalog.InvalidReference, e.Kind);
                Assert.StartsWith("Service svc: ", e.Message);

                service.Labels[PinLabels.SourceReference] = " ";
                Assert.Equal("x", PinnedServiceUpdater.SourceReferenceOf(service));
            }
        }

        [Fact]
        public async Task AMissingServiceIsServiceNotFoundNamingTheSwarm()
        {
            using (EngineClient swarm = await EngineClient.ConnectAsync(DockerCli.Endpoint(Env.SwarmHost), None))
            {
                FailureException e = await Assert.ThrowsAsync<FailureException>(() => new PinnedServiceUpdater(swarm).FindAsync("dt-no-such-service", None));
                Assert.Equal(ErrorCatalog.ServiceNotFound, e.Kind);
                Assert.Equal($"The Swarm at {Env.SwarmHost} has no service 'dt-no-such-service'.", e.Message);
            }
        }

        [Fact]
        public async Task TheCallersReferenceIsResolvedInsteadOfTheLabelAndADigestAloneIsKept()
        {
            var oci = ParsedReference.Parse(Env.OciReference);
            var alt = ParsedReference.Parse(Env.OciAltReference);
            using (EngineClient swarm = await EngineClient.ConnectAsync(DockerCli.Endpoint(Env.SwarmHost), None))
            {
                var service = new EngineService { Name = "svc", Image = $"{oci}@{Env.OciDigest}" };
                service.Labels[PinLabels.SourceReference] = oci.ToString();
                var updater = new PinnedServiceUpdater(swarm);
                var resolver = new ServiceImageResolver(new RegistryClientOptions());

                ServiceRepinPlan other = await updater.PlanAsync(service, alt.ToString(), resolver, None);
                ServiceImagePin altPin = await resolver.ResolveAsync(alt, null, None);
                Assert.Equal((alt.Name + ":" + alt.Tag + "@" + altPin.Digest, true), (other.Pin.Image, other.Changes));

                // A digest without a tag has nothing that moves: it is checked and kept.
                ServiceRepinPlan byDigest = await updater.PlanAsync(service, $"{oci.Name}@{Env.OciDigest}", resolver, None);
                Assert.Equal(($"{oci.Name}@{Env.OciDigest}", false), (byDigest.Pin.Image, byDigest.Changes));
            }
        }

        [Fact]
        public async Task AnEngineThatIsNoSwarmManagerIsNotSwarmManagerSayingWhatToDo()
        {
            using (EngineClient docker = await EngineClient.ConnectAsync(DockerCli.Endpoint(Env.DockerHost), None))
            {
                FailureException e = await Assert.ThrowsAsync<FailureException>(() => new PinnedServiceUpdater(docker).FindAsync("dt-any-service", None));
                Assert.Equal(ErrorCatalog.NotSwarmManager, e.Kind);
                Assert.Equal($"The engine at {Env.DockerHost} is not part of a Swarm (state 'inactive'): run `docker swarm init` there, or point -EngineUri at a manager.", e.Message);
            }
        }
    }
}
