using System;
using System.Text;
using DigestTools.Engine.Registry;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// The manifest reader: only the top level's mediaType, schemaVersion and manifests count, whatever nests
    /// below other members (an image manifest's config and layers carry mediaTypes of their own), and
    /// members of an unexpected kind are passed over rather than misread.
    /// </summary>
    public sealed class ManifestDocumentTests
    {
        private static string D(char c) => "sha256:" + new string(c, 64);

        private static ManifestDocument Parse(string json) => ManifestDocument.Parse(Encoding.UTF8.GetBytes(json));

        [Fact]
        public void NestedMediaTypesOfAnImageManifestAreNotTheManifests()
        {
            ManifestDocument document = Parse("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"schemaVersion\":9,\"manifests\":[{\"digest\":\"" + D('c') + "\"}]},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\"}]}");
            Assert.Equal(ManifestMediaTypes.OciManifest, document.MediaType);
            Assert.Equal(2, document.SchemaVersion);
            Assert.Empty(document.Manifests);
        }

        [Fact]
        public void NestedMembersOfAnEntryOrItsPlatformAreNotTheEntrys()
        {
            ManifestDocument document = Parse("{\"manifests\":[{"
                + "\"digest\":\"" + D('a') + "\",\"extra\":{\"digest\":\"" + D('x') + "\",\"platform\":{\"os\":\"windows\"}},\"size\":5,"
                + "\"platform\":{\"features\":[\"sse4\"],\"os\":\"linux\",\"x\":{\"architecture\":\"s390x\"},\"architecture\":\"amd64\",\"variant\":\"v2\",\"os.version\":\"1\"},"
                + "\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\",\"nested\":{\"vnd.docker.reference.type\":\"no\"},\"vnd.docker.reference.type\":\"attestation-manifest\"}}]}");
            PlatformManifest entry = Assert.Single(document.Manifests);
            Assert.Equal(D('a'), entry.Digest);
            Assert.Equal(5, entry.Size);
            Assert.Equal("linux/amd64/v2", entry.ToString());
            Assert.Equal("1", entry.OsVersion);
            Assert.Equal("attestation-manifest", entry.ReferenceType);
        }

        [Fact]
        public void MembersOfAnUnexpectedKindAreReadAsAbsent()
        {
            ManifestDocument document = Parse("{\"mediaType\":{\"a\":[1]},\"schemaVersion\":[2],\"manifests\":["
                + "[\"not an entry\"],7,"
                + "{\"digest\":{\"d\":1},\"size\":{\"s\":1},\"platform\":[\"linux\"],\"annotations\":[\"a\"]},"
                + "{\"digest\":\"" + D('b') + "\",\"size\":\"5\",\"platform\":{\"os\":[\"linux\"],\"architecture\":\"arm64\"},\"annotations\":{\"vnd.docker.reference.type\":{\"t\":1}}}"
                + "],\"after\":1}");
            Assert.Null(document.MediaType);
            Assert.Null(document.SchemaVersion);
            Assert.Equal(2, document.Manifests.Count);
            PlatformManifest first = document.Manifests[0], second = document.Manifests[1];
            Assert.Null(first.Digest);
            Assert.Equal(0, first.Size);
            Assert.Null(first.Os);
            Assert.Null(first.ReferenceType);
            Assert.Equal(D('b'), second.Digest);
            Assert.Equal(0, second.Size);
            Assert.Null(second.Os);
            Assert.Equal("arm64", second.Architecture);
            Assert.Null(second.ReferenceType);
        }

        [Fact]
        public void ManifestsThatAreNotAnArrayAreNone()
        {
            ManifestDocument document = Parse("{\"manifests\":{\"mediaType\":\"x\"},\"mediaType\":\"application/vnd.oci.image.index.v1+json\"}");
            Assert.Empty(document.Manifests);
            Assert.Equal(ManifestMediaTypes.OciIndex, document.MediaType);
        }

        [Fact]
        public void CommentsAreSkipped()
            => Assert.Equal(2, Parse("{/* written by hand */ \"schemaVersion\": 2 // two\n}").SchemaVersion);

        [Theory]
        [InlineData("[]", "The manifest is not a JSON object.")]
        [InlineData("\"text\"", "The manifest is not a JSON object.")]
        [InlineData("{\"schemaVersion\":", "The manifest is not valid JSON: ")]
        public void WhatIsNotAJsonObjectIsAFormatErrorSayingSo(string json, string message)
            => Assert.StartsWith(message, Assert.Throws<FormatException>(() => Parse(json)).Message);
    }
}
