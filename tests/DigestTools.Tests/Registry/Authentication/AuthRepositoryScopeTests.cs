using System.Net.Http;
using DigestTools.Engine.Registry.Authentication;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// The token scope attached up front to a registry request: pull for reads, pull,push for writes, the repository
    /// named by the path, and none for a path that names no repository (the version check, the catalog).
    /// </summary>
    public sealed class AuthRepositoryScopeTests
    {
        private static string ScopeOf(string method, string path)
            => RepositoryScope.FromRequest(new HttpRequestMessage(new HttpMethod(method), "http://reg.example:5000" + path));

        [Theory]
        [InlineData("GET", "/v2/app/manifests/latest", "repository:app:pull")]
        [InlineData("HEAD", "/v2/library/ubuntu/manifests/sha256:ab", "repository:library/ubuntu:pull")]
        [InlineData("GET", "/v2/team/sub/app/blobs/sha256:ab", "repository:team/sub/app:pull")]
        [InlineData("GET", "/v2/a.b-c_d/tags/list", "repository:a.b-c_d:pull")]
        [InlineData("GET", "/v2/app/referrers/sha256:ab", "repository:app:pull")]
        [InlineData("PUT", "/v2/app/manifests/latest", "repository:app:pull,push")]
        [InlineData("POST", "/v2/app/blobs/uploads/", "repository:app:pull,push")]
        [InlineData("DELETE", "/v2/app/manifests/sha256:ab", "repository:app:pull,push")]
        public void ReadsNeedPullAndWritesNeedPullAndPush(string method, string path, string scope)
            => Assert.Equal(scope, ScopeOf(method, path));

        [Theory]
        [InlineData("/v2/")]
        [InlineData("/v2/_catalog")]
        [InlineData("/v2/app/manifestsx/latest")]
        [InlineData("/v2/App/manifests/latest")]          // not a repository name: names are lowercase
        [InlineData("/token")]
        public void APathNamingNoRepositoryHasNoScope(string path)
            => Assert.Null(ScopeOf("GET", path));

        [Fact]
        public void ARequestWithoutAnAddressHasNoScope()
        {
            Assert.Null(RepositoryScope.FromRequest(null));
            Assert.Null(RepositoryScope.FromRequest(new HttpRequestMessage()));
        }
    }
}
