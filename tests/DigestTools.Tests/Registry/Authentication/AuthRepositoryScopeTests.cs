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
        [Theory]
        [InlineData("GET", "/v2/library/ubuntu/manifests/22.04", "repository:library/ubuntu:pull")]
        [InlineData("HEAD", "/v2/a/b/c/manifests/sha256:abc", "repository:a/b/c:pull")]
        [InlineData("GET", "/v2/x/blobs/sha256:abc", "repository:x:pull")]
        [InlineData("GET", "/v2/a.b-c_d/tags/list", "repository:a.b-c_d:pull")]
        [InlineData("GET", "/v2/x/referrers/sha256:abc", "repository:x:pull")]
        [InlineData("PUT", "/v2/x/manifests/v1", "repository:x:pull,push")]
        [InlineData("POST", "/v2/x/blobs/uploads/", "repository:x:pull,push")]
        [InlineData("DELETE", "/v2/x/manifests/sha256:abc", "repository:x:pull,push")]
        [InlineData("GET", "/v2/", null)]
        [InlineData("GET", "/v2/_catalog", null)]
        [InlineData("GET", "/v2/x/manifestsx/v1", null)]
        [InlineData("GET", "/v2/X/manifests/v1", null)]          // not a repository name: names are lowercase
        [InlineData("GET", "/token", null)]
        public void ScopeFromThePath(string method, string path, string scope)
            => Assert.Equal(scope, RepositoryScope.FromRequest(new HttpRequestMessage(new HttpMethod(method), "http://r.example" + path)));

        [Fact]
        public void ARequestWithoutAnAddressHasNoScope()
        {
            Assert.Null(RepositoryScope.FromRequest(null));
            Assert.Null(RepositoryScope.FromRequest(new HttpRequestMessage()));
        }
    }
}
