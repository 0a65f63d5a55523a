using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>MountSpec reads docker's --mount fields (aliases, case, readonly forms) and refuses with the exact reason.</summary>
    public sealed class MountSpecTests
    {
        [Theory]
        [InlineData("type=bind,source=/data,target=/srv,readonly", "bind", "/data", "/srv", true)]
        [InlineData("src=cache,dst=/cache", "volume", "cache", "/cache", false)]
        [InlineData("target=/c", "volume", null, "/c", false)]
        [InlineData("type=tmpfs,dst=/t", "tmpfs", null, "/t", false)]
        [InlineData(" TYPE=BIND , Source=/a ,, destination=/b ", "bind", "/a", "/b", false)]
        [InlineData("type=volume,src=data,target=/d,ro", "volume", "data", "/d", true)]
        [InlineData("target=/d,readonly=1", "volume", null, "/d", true)]
        [InlineData("target=/d,readonly=TRUE", "volume", null, "/d", true)]
        [InlineData("target=/d,readonly=false", "volume", null, "/d", false)]
        [InlineData("target=/d,readonly=0", "volume", null, "/d", false)]
        [InlineData("target=/d,ro=yes", "volume", null, "/d", false)]
        [InlineData("target=/d=x", "volume", null, "/d=x", false)]
        public void ReadsEveryFieldForm(string text, string type, string source, string target, bool readOnly)
        {
            MountSpec m = MountSpec.Parse(text);
            Assert.Equal((type, source, target, readOnly), (m.Type, m.Source, m.Target, m.ReadOnly));
        }

        [Theory]
        [InlineData(null, "it is empty")]
        [InlineData(" ", "it is empty")]
        [InlineData("type=bind,target=/x", "a bind mount needs a source")]
        [InlineData("type=bind,source=,target=/x", "a bind mount needs a source")]
        [InlineData("source=/x", "target is missing")]
        [InlineData("source=/x,target=", "target is missing")]
        [InlineData("type=nfs,target=/x", "type 'nfs' is not bind, volume or tmpfs")]
        [InlineData("type,target=/x", "type '' is not bind, volume or tmpfs")]
        [InlineData("type=bind,source=/a,target=/b,Colour=red", "'colour' is not one of type, source, target, readonly")]
        [InlineData("bind", "'bind' is not one of type, source, target, readonly")]
        [InlineData("=x,target=/b", "'' is not one of type, source, target, readonly")]
        public void RefusesWithAMessageThatSaysWhy(string text, string why)
        {
            FailureException e = Assert.Throws<FailureException>(() => MountSpec.Parse(text));
            Assert.Equal(ErrorCatalog.InvalidMountSpec, e.Kind);
            Assert.Equal($"The mount '{text}' is invalid: {why}.", e.Message);
        }

        [Fact]
        public void AMountTheEngineReportedIsTakenAsItIs()
        {
            MountSpec m = MountSpec.Of("NFS", "", "relative", true);
            Assert.Equal(("NFS", "", "relative", true), (m.Type, m.Source, m.Target, m.ReadOnly));
        }
    }
}
