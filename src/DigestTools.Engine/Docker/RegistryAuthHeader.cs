using System;
using System.IO;
using System.Text;
using System.Text.Json;
using DigestTools.Engine.Registry;

namespace DigestTools.Engine.Docker
{
    /// <summary>
    /// Builds the X-Registry-Auth header the engine reads on pull: base64url of a JSON auth config.
    /// The daemon decodes with the URL alphabet, so standard base64 ('+', '/') would corrupt some credentials.
    /// The value is a secret: it is never logged or put in an error message.
    /// </summary>
    public static class RegistryAuthHeader
    {
        public const string Name = "X-Registry-Auth";

        /// <summary>The header value for <paramref name="credential"/> on <paramref name="serverAddress"/>.</summary>
        public static string Encode(RegistryCredential credential, string serverAddress)
        {
            if (credential == null) throw new ArgumentNullException(nameof(credential));
            using (var buffer = new MemoryStream())
            {
                using (var json = new Utf8JsonWriter(buffer))
                {
                    json.WriteStartObject();
                    if (!string.IsNullOrEmpty(credential.IdentityToken))
                    {
                        json.WriteString("identitytoken", credential.IdentityToken);
                    }
                    else
                    {
                        json.WriteString("username", credential.Username ?? string.Empty);
                        json.WriteString("password", credential.Password ?? string.Empty);
                    }
                    if (!string.IsNullOrEmpty(serverAddress)) json.WriteString("serveraddress", serverAddress);
                    json.WriteEndObject();
                }
                return Base64Url(buffer.ToArray());
            }
        }

        internal static string Base64Url(byte[] bytes)
            => Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');

        /// <summary>Reverses <see cref="Encode"/>; for tests only.</summary>
        internal static string DecodeToJson(string header)
        {
            string padded = header.Replace('-', '+').Replace('_', '/');
            return Encoding.UTF8.GetString(Convert.FromBase64String(padded));
        }
    }
}
