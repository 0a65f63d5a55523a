using Docker.DotNet.Models;

namespace DigestTools.Engine.Docker
{
    /// <summary>
    /// Registry credentials for Swarm calls, which take them as a structure (Docker.DotNet encodes it into
    /// X-Registry-Auth) and forward them to every node that pulls. Never written to any message.
    /// </summary>
    public sealed class RegistryAuthConfig
    {
        public RegistryAuthConfig(string userName, string password, string serverAddress)
        {
            UserName = userName;
            Password = password;
            ServerAddress = serverAddress;
        }

        public string UserName { get; }
        public string Password { get; }
        public string ServerAddress { get; }

        internal AuthConfig ToAuthConfig() => new AuthConfig { Username = UserName, Password = Password, ServerAddress = ServerAddress };

        public override string ToString() => $"credential for {ServerAddress} (user {UserName})";
    }
}
