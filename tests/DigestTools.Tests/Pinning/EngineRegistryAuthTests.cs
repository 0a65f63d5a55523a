using System.Text.Json;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Pinning;
using DigestTools.Engine.Registry;
using DigestTools.Tests.Support;
using Xunit;

namespace DigestTools.Tests.Pinning
{
    /// <summary>
    /// The credential an engine call forwards: the caller's, addressed to the registry as Docker names it (Docker Hub's
    /// https://index.docker.io/v1/), as the X-Registry-Auth header of a pull or the auth structure of a Swarm call.
    /// </summary>
    [Collection(AuthRegistriesCollection.Name)]   // DOCKER_CONFIG is process-wide: the auth tests that set it run in this collection
    public sealed class EngineRegistryAuthTests
    {
        [Fact]
        public void WithoutACredentialOrAConfigEntryThePullAndTheServiceAreAnonymous()
        {
            string saved = System.Environment.GetEnvironmentVariable("DOCKER_CONFIG");
            System.Environment.SetEnvironmentVariable("DOCKER_CONFIG", System.IO.Path.GetDirectoryName(CredentialHelperScripts.WriteConfig("{}")));
            try
            {
                Assert.Null(EngineRegistryAuth.For(null, "127.0.0.1:5000"));
                Assert.Null(EngineRegistryAuth.ConfigFor(null, "127.0.0.1:5000"));
            }
            finally
            {
                System.Environment.SetEnvironmentVariable("DOCKER_CONFIG", saved);
            }
        }

        [Theory]
        [InlineData("127.0.0.1:5000", "127.0.0.1:5000")]
        [InlineData("docker.io", "https://index.docker.io/v1/")]
        public void AnExplicitCredentialIsForwardedToTheRegistryAsDockerNamesIt(string registry, string serverAddress)
        {
            var credential = new RegistryCredential("puller", "S3cret");
            using (JsonDocument doc = JsonDocument.Parse(RegistryAuthHeader.DecodeToJson(EngineRegistryAuth.For(credential, registry))))
            {
                Assert.Equal("puller", doc.RootElement.GetProperty("username").GetString());
                Assert.Equal("S3cret", doc.RootElement.GetProperty("password").GetString());
                Assert.Equal(serverAddress, doc.RootElement.GetProperty("serveraddress").GetString());
            }
            RegistryAuthConfig config = EngineRegistryAuth.ConfigFor(credential, registry);
            Assert.Equal(("puller", "S3cret", serverAddress), (config.UserName, config.Password, config.ServerAddress));
            Assert.Equal($"credential for {serverAddress} (user puller)", config.ToString());
        }
    }
}
