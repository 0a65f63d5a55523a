namespace DigestTools.Engine.Registry.Authentication
{
    /// <summary>The credential order users expect: -Credential wins, else the Docker config, else anonymous.</summary>
    public static class CredentialSources
    {
        public static ICredentialSource For(RegistryClientOptions options)
            => options?.Credential != null
                ? (ICredentialSource)new ExplicitCredentialSource(options.Credential)
                : new DockerCredentialStore(DockerCredentialStore.DefaultConfigPath(), log: options?.Log);
    }
}
