using DigestTools.Engine.Docker;
using Docker.DotNet.Models;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>The Swarm calls' registry credential: handed to the engine whole, and never shown in text.</summary>
    public sealed class RegistryAuthConfigTests
    {
        [Fact]
        public void GoesToTheEngineWithAllThreeValues()
        {
            AuthConfig a = new RegistryAuthConfig("alice", "s3cret-pw", "127.0.0.1:5000").ToAuthConfig();
            Assert.Equal(("alice", "s3cret-pw", "127.0.0.1:5000"), (a.Username, a.Password, a.ServerAddress));
        }

        [Fact]
        public void ItsTextNamesTheServerAndUserButNeverThePassword()
            => Assert.Equal("credential for 127.0.0.1:5000 (user alice)", new RegistryAuthConfig("alice", "s3cret-pw", "127.0.0.1:5000").ToString());
    }
}
