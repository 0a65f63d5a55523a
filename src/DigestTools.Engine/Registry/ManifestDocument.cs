using System;
using System.Collections.Generic;
using System.Text.Json;

namespace DigestTools.Engine.Registry
{
    /// <summary>
    /// What we read from a manifest body: its mediaType and schemaVersion, and for an index the child
    /// descriptors. A forward-only Utf8JsonReader over the raw bytes: no DOM, no re-serialization
    /// (the digest is always computed over the bytes as received, elsewhere).
    /// </summary>
    internal sealed class ManifestDocument
    {
        internal string MediaType { get; private set; }
        internal int? SchemaVersion { get; private set; }

        /// <summary>Child descriptors of an index / manifest list, attestations included; empty for a single manifest.</summary>
        internal List<PlatformManifest> Manifests { get; } = new List<PlatformManifest>();

        /// <exception cref="FormatException">The body is not a JSON object.</exception>
        internal static ManifestDocument Parse(byte[] body)
        {
            var document = new ManifestDocument();
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            try
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new FormatException("The manifest is not a JSON object.");
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("mediaType")) document.MediaType = ReadString(ref reader);
                    else if (reader.ValueTextEquals("schemaVersion")) document.SchemaVersion = ReadInt(ref reader);
                    else if (reader.ValueTextEquals("manifests")) ReadManifests(ref reader, document.Manifests);
                    else reader.Skip();   // on a property name, Skip passes over its whole value
                }
            }
            catch (JsonException e)
            {
                throw new FormatException("The manifest is not valid JSON: " + e.Message, e);
            }
            return document;
        }

        private static void ReadManifests(ref Utf8JsonReader reader, List<PlatformManifest> entries)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray) { reader.Skip(); return; }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); continue; }
                var entry = new PlatformManifest();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("digest")) entry.Digest = ReadString(ref reader);
                    else if (reader.ValueTextEquals("size")) entry.Size = ReadLong(ref reader);
                    else if (reader.ValueTextEquals("platform")) ReadPlatform(ref reader, entry);
                    else if (reader.ValueTextEquals("annotations")) ReadAnnotations(ref reader, entry);
                    else reader.Skip();
                }
                entries.Add(entry);
            }
        }

        private static void ReadPlatform(ref Utf8JsonReader reader, PlatformManifest entry)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); return; }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("os")) entry.Os = ReadString(ref reader);
                else if (reader.ValueTextEquals("architecture")) entry.Architecture = ReadString(ref reader);
                else if (reader.ValueTextEquals("variant")) entry.Variant = ReadString(ref reader);
                else if (reader.ValueTextEquals("os.version")) entry.OsVersion = ReadString(ref reader);
                else reader.Skip();
            }
        }

        private static void ReadAnnotations(ref Utf8JsonReader reader, PlatformManifest entry)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject) { reader.Skip(); return; }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("vnd.docker.reference.type")) entry.ReferenceType = ReadString(ref reader);
                else reader.Skip();
            }
        }

        private static string ReadString(ref Utf8JsonReader reader)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.String) return reader.GetString();
            reader.Skip();
            return null;
        }

        private static int? ReadInt(ref Utf8JsonReader reader)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int value)) return value;
            reader.Skip();
            return null;
        }

        private static long ReadLong(ref Utf8JsonReader reader)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long value)) return value;
            reader.Skip();
            return 0;
        }
    }
}
