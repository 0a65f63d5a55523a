using System;
using System.Net;
using System.Text;
using System.Text.Json;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Registry
{
    /// <summary>
    /// Turns a failed registry answer into a FailureException with a stable ErrorId: the first error code
    /// of the body ({"errors":[{"code","message"}]}) when there is one, else the HTTP status. Messages name
    /// the reference and the registry and quote the registry's own words, with the call's secrets masked
    /// (a registry may echo the Authorization header it received); no header is ever repeated.
    /// </summary>
    internal static class RegistryErrorMapper
    {
        /// <param name="secrets">The call's secrets, masked in the registry's words before they are shortened.</param>
        internal static FailureException Map(HttpStatusCode status, byte[] body, string reference, string registry,
            Authentication.SecretRedactor secrets = null)
        {
            ReadFirstError(body, out string code, out string registryMessage, secrets);
            ErrorKind kind = MapCode(code, status);
            string said = string.IsNullOrEmpty(registryMessage) ? kind.Id : registryMessage;
            string codePart = string.IsNullOrEmpty(code) ? string.Empty : code + ", ";
            return new FailureException(kind,
                $"{reference}: {said} (registry {registry} answered {codePart}HTTP {(int)status}).");
        }

        /// <summary>The catalog entry for a distribution error code, falling back to the status.</summary>
        internal static ErrorKind MapCode(string code, HttpStatusCode status)
        {
            switch (code)
            {
                case "MANIFEST_UNKNOWN": return ErrorCatalog.ManifestUnknown;
                case "NAME_UNKNOWN": return ErrorCatalog.NameUnknown;
                case "BLOB_UNKNOWN": return ErrorCatalog.BlobUnknown;
                case "MANIFEST_BLOB_UNKNOWN": return ErrorCatalog.ManifestBlobUnknown;
                case "UNAUTHORIZED": return ErrorCatalog.Unauthorized;
                case "DENIED": return ErrorCatalog.Denied;
                case "TOOMANYREQUESTS": return ErrorCatalog.TooManyRequests;
                case "NAME_INVALID": return ErrorCatalog.NameInvalid;
                case "TAG_INVALID": return ErrorCatalog.TagInvalid;
                case "DIGEST_INVALID": return ErrorCatalog.DigestInvalid;
                case "MANIFEST_INVALID": return ErrorCatalog.ManifestInvalid;
                case "UNSUPPORTED": return ErrorCatalog.Unsupported;
            }
            switch ((int)status)
            {
                case 401: return ErrorCatalog.Unauthorized;
                case 403: return ErrorCatalog.Denied;
                case 404: return ErrorCatalog.ManifestUnknown;
                case 429: return ErrorCatalog.TooManyRequests;
            }
            if ((int)status >= 500) return ErrorCatalog.RegistryServerError;
            return ErrorCatalog.RegistryProtocolError;
        }

        /// <summary>The first errors[] entry's code and message; nulls when the body is absent or not that shape.</summary>
        internal static void ReadFirstError(byte[] body, out string code, out string message, Authentication.SecretRedactor secrets = null)
        {
            code = message = null;
            if (body == null || body.Length == 0) return;
            try
            {
                using (JsonDocument document = JsonDocument.Parse(body))
                {
                    if (document.RootElement.ValueKind != JsonValueKind.Object
                        || !document.RootElement.TryGetProperty("errors", out JsonElement errors)
                        || errors.ValueKind != JsonValueKind.Array || errors.GetArrayLength() == 0) return;
                    JsonElement first = errors[0];
                    if (first.ValueKind != JsonValueKind.Object) return;
                    if (first.TryGetProperty("code", out JsonElement c) && c.ValueKind == JsonValueKind.String) code = c.GetString()?.ToUpperInvariant();
                    if (first.TryGetProperty("message", out JsonElement m) && m.ValueKind == JsonValueKind.String) message = Shorten(secrets == null ? m.GetString() : secrets.Redact(m.GetString()));
                }
            }
            catch (JsonException) { /* not a distribution error body: the status decides */ }
        }

        // A registry's message is quoted, not trusted to be short or printable.
        private static string Shorten(string text)
        {
            if (string.IsNullOrEmpty(text)) return text;
            var clean = new StringBuilder(Math.Min(text.Length, 200));
            foreach (char ch in text)
            {
                if (clean.Length >= 200) { clean.Append('…'); break; }
                clean.Append(char.IsControl(ch) ? ' ' : ch);
            }
            return clean.ToString();
        }
    }
}
