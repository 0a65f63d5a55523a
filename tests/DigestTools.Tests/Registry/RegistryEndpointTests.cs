using System.Collections.Generic;
using DigestTools.Engine.Registry;
using Xunit;

namespace DigestTools.Tests
{
    public sealed class RegistryEndpointTests
    {
        [Theory]
        [InlineData("docker.io")]
        [InlineData("index.docker.io")]
        [InlineData("registry.hub.docker.com")]
        [InlineData("Docker.IO")]
        public void DockerHubNamesGoToRegistry1OverHttps(string registry)
        {
            RegistryEndpoint endpoint = RegistryEndpoint.For(registry, new[] { registry });
            Assert.Equal("registry-1.docker.io", endpoint.Host);
            Assert.Equal("https://registry-1.docker.io/v2/library/ubuntu/manifests/22.04", endpoint.ManifestUri("library/ubuntu", "22.04").AbsoluteUri);
            Assert.Equal(registry, endpoint.Registry);
        }

        [Theory]
        [InlineData("127.0.0.1:5000", "http")]
        [InlineData("127.8.9.10:5000", "http")]
        [InlineData("127.0.0.1", "http")]
        [InlineData("localhost:5000", "http")]
        [InlineData("LOCALHOST", "http")]
        [InlineData("[::1]:5000", "http")]
        [InlineData("[::1]", "http")]
        [InlineData("128.0.0.1:5000", "https")]
        [InlineData("10.0.0.5:5000", "https")]
        [InlineData("[::2]:5000", "https")]
        [InlineData("localhost.example.com:5000", "https")]
        [InlineData("ghcr.io", "https")]
        [InlineData("quay.io", "https")]
        [InlineData("myregistry:5000", "https")]
        public void PlainHttpOnlyForLoopback(string registry, string scheme)
        {
            RegistryEndpoint endpoint = RegistryEndpoint.For(registry, new List<string>());
            Assert.Equal(scheme, endpoint.BaseUri.Scheme);
            Assert.Equal(scheme == "http", endpoint.IsPlainHttp);
        }

        [Theory]
        [InlineData("myregistry:5000", "myregistry:5000", "http")]
        [InlineData("myregistry:5000", "http://myregistry:5000/", "http")]
        [InlineData("myregistry:5000", " MyRegistry:5000 ", "http")]
        [InlineData("myregistry:5000", "myregistry", "https")]           // a listed host does not cover other ports
        [InlineData("myregistry:5000", "myregistry:5001", "https")]
        [InlineData("other.example:443", "myregistry:5000", "https")]
        [InlineData("docker.io", "docker.io", "https")]                 // Docker Hub never goes plain
        public void InsecureRegistriesAreMatchedExactly(string registry, string listed, string scheme)
        {
            Assert.Equal(scheme, RegistryEndpoint.For(registry, new[] { listed }).BaseUri.Scheme);
        }

        [Fact]
        public void UrisKeepThePortAndIPv6Brackets()
        {
            Assert.Equal("http://[::1]:5000/v2/", RegistryEndpoint.For("[::1]:5000", null).VersionCheckUri.AbsoluteUri);
            Assert.Equal("http://127.0.0.1:5000/v2/fixtures/busybox/manifests/sha256:abc",
                RegistryEndpoint.For("127.0.0.1:5000", null).ManifestUri("fixtures/busybox", "sha256:abc").AbsoluteUri);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        public void ABlankRegistryNameIsRefused(string registry)
        {
            var e = Assert.Throws<System.ArgumentException>(() => RegistryEndpoint.For(registry, new string[0]));
            Assert.Equal(("registry", "A registry name is required. (Parameter 'registry')"), (e.ParamName, e.Message));
        }

        [Theory]
        [InlineData("application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.index.v1+json")]
        [InlineData(" application/json; charset=utf-8", "application/json")]
        [InlineData("application/json;charset=utf-8", "application/json")]
        [InlineData(";charset=utf-8", null)]   // parameters only: no media type at all
        [InlineData(" ; q=1", null)]
        [InlineData("  ", null)]
        [InlineData(null, null)]
        public void AContentTypeIsItsMediaTypeWithoutParameters(string contentType, string mediaType)
            => Assert.Equal(mediaType, ManifestMediaTypes.Strip(contentType));
    }
}
