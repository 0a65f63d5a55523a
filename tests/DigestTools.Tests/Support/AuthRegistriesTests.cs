namespace DigestTools.Tests.Support
{
    /// <summary>
    /// Base of the test classes over the authenticating registries: the shared fixture (one set of registries for
    /// the collection) and the repository every one of them holds. Each derived class still names the collection.
    /// </summary>
    public abstract class AuthRegistriesTests
    {
        protected const string Repository = "fixtures/alpha";

        protected AuthRegistriesTests(AuthRegistriesFixture fixture) => _f = fixture;

        /// <summary>The registries (Basic, token, anonymous), the user's password and the fixtures' digests.</summary>
        protected readonly AuthRegistriesFixture _f;
    }
}
