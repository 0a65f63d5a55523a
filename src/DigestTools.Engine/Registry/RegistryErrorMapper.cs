using System;
using System.Net;
using System.Text;
using System.Text.Json;

namespace DigestTools.Engine.Registry
{
    /// <summary>
    /// Turns a failed registry answer into a RegistryException with a stable ErrorId: the first error code
    /// of the body ({"errors":[{"code","message"}]}) when there is one, else the HTTP status. Messages name
    /// the reference and the registry and quote the registry's own words, with the call's secrets masked
    /// (a registry may echo the Authorization header it received); no header is ever repeated.
    /// </summary>
    internal static class RegistryErrorMapper
    {
        /// <param name="secrets">The call's secrets, masked in the registry's words before they are shortened.</param>
        internal static RegistryException Map(HttpStatusCode status, byte[] body, string reference, string registry,
            Authentication.SecretRedactor secrets = null)
        {
            ReadFirstError(body, out string code, out string registryMessage, secrets);
            MapCode(code, status, out string errorId, out string category);
            string said = string.IsNullOrEmpty(registryMessage) ? errorId : registryMessage;
            string codePart = string.IsNullOrEmpty(code) ? string.Empty : code + ", ";
            return new RegistryException(errorId, category,
                $"{reference}: {said} (registry {registry} answered {codePart}HTTP {(int)status}).");
        }

        /// <summary>ErrorId and ErrorCategory name for a distribution error code, falling back to the status.</summary>
        internal static void MapCode(string code, HttpStatusCode status, out string errorId, out string category)
        {
            switch (code)
            {
                case "MANIFEST_UNKNOWN": errorId = "ManifestUnknown"; category = "ObjectNotFound"; return;
                case "NAME_UNKNOWN": errorId = "NameUnknown"; category = "ObjectNotFound"; return;
                case "BLOB_UNKNOWN": errorId = "BlobUnknown"; category = "ObjectNotFound"; return;
                case "MANIFEST_BLOB_UNKNOWN": errorId = "ManifestBlobUnknown"; category = "ObjectNotFound"; return;
                case "UNAUTHORIZED": errorId = "Unauthorized"; category = "AuthenticationError"; return;
                case "DENIED": errorId = "Denied"; category = "PermissionDenied"; return;
                case "TOOMANYREQUESTS": errorId = "TooManyRequests"; category = "LimitsExceeded"; return;
                case "NAME_INVALID": errorId = "NameInvalid"; category = "InvalidArgument"; return;
                case "TAG_INVALID": errorId = "TagInvalid"; category = "InvalidArgument"; return;
                case "DIGEST_INVALID": errorId = "DigestInvalid"; category = "InvalidArgument"; return;
                case "MANIFEST_INVALID": errorId = "ManifestInvalid"; category = "InvalidData"; return;
                case "UNSUPPORTED": errorId = "Unsupported"; category = "NotImplemented"; return;
            }
            switch ((int)status)
            {
                case 401: errorId = "Unauthorized"; category = "AuthenticationError"; return;
                case 403: errorId = "Denied"; category = "PermissionDenied"; return;
                case 404: errorId = "ManifestUnknown"; category = "ObjectNotFound"; return;
                case 429: errorId = "TooManyRequests"; category = "LimitsExceeded"; return;
            }
            if ((int)status >= 500) { errorId = "RegistryServerError"; category = "ResourceUnavailable"; return; }
            errorId = "RegistryProtocolError"; category = "ProtocolError";
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
