namespace DigestTools.Engine.Registry
{
    /// <summary>A username and password, or an identity token. ToString never reveals the secret.</summary>
    public sealed class RegistryCredential
    {
        public RegistryCredential(string username, string password, string identityToken = null)
        {
            Username = username;
            Password = password;
            IdentityToken = identityToken;
        }

        public string Username { get; }
        public string Password { get; }

        /// <summary>An OAuth refresh token (config.json "identitytoken", helper Username "&lt;token&gt;").</summary>
        public string IdentityToken { get; }

        public override string ToString() => "RegistryCredential(" + Username + ")";
    }
}
