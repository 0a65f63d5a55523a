using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;

namespace DigestTools.Engine.Docker
{
    /// <summary>Turns what Docker.DotNet throws, and errors inside a pull stream, into EngineExceptions with stable ids.</summary>
    internal static class EngineErrors
    {
        internal static EngineException Unreachable(EngineEndpoint endpoint, Exception cause)
            => new EngineException("EngineUnreachable", "ConnectionError",
                $"No container engine answered at {endpoint.Address.OriginalString} (from {endpoint.Source}): {Innermost(cause).Message}", cause);

        /// <summary>
        /// The address answered, but not like a container engine: a web server's HTML page, a proxy's error, JSON
        /// that does not parse. Whatever it did, the engine may or may not have acted on the request.
        /// </summary>
        internal static EngineException NotAnEngine(EngineEndpoint endpoint, string what, Exception cause)
            => new EngineException("NotAContainerEngine", "ProtocolError",
                $"The address {endpoint.Address.OriginalString} (from {endpoint.Source}) did not answer like a container engine when asked to {what}: "
                + (cause is DockerApiException api ? $"it answered HTTP {(int)api.StatusCode}{ShortText(api)}"
                    : cause == null ? "its reply lacks what every engine sends" : "its reply is not the engine API's JSON")
                + ". Check -EngineUri, DOCKER_HOST and DOCKER_CONTEXT.", cause);

        // A plain-text error line helps ("Client sent an HTTP request to an HTTPS server."); a web page does not.
        private static string ShortText(DockerApiException e)
        {
            string text = string.IsNullOrWhiteSpace(e.ResponseBody) ? null : Message(e);
            if (text == null || text.StartsWith("<", StringComparison.Ordinal) || text.Length > 200 || text.Contains("\n")) return "";
            return " (" + text + ")";
        }

        /// <summary>A request that got no answer (or, streaming, no progress) within the timeout.</summary>
        internal static EngineException TimedOut(EngineEndpoint endpoint, string what, TimeSpan timeout, bool streaming, Exception cause)
            => new EngineException("EngineTimeout", "OperationTimeout",
                $"The engine at {endpoint.Address.OriginalString} "
                + (streaming ? $"sent no progress for {timeout.TotalSeconds:0.###} s" : $"did not answer within {timeout.TotalSeconds:0.###} s")
                + $" when asked to {what} (-TimeoutSec).", cause);

        /// <summary>A container that disappeared under the call (removed by someone else).</summary>
        internal static EngineException ContainerGone(string id, string when, Exception cause = null)
            => new EngineException("ContainerNotFound", "ObjectNotFound",
                $"Container {Short(id)} was removed by someone else {when}; it has no result to report.", cause);

        internal static string Short(string id) => id == null ? "(unknown)" : id.Substring(0, Math.Min(12, id.Length));

        /// <summary>True when the reply could not be parsed: the address is not speaking the engine API.</summary>
        internal static bool IsUnreadableReply(Exception e)
        {
            for (Exception x = e; x != null; x = x.InnerException)
                if (x is JsonException) return true;
            return false;
        }

        /// <summary>True for failures that mean "nothing is listening / the connection broke / TLS refused it".</summary>
        internal static bool IsConnectionFailure(Exception e)
        {
            for (Exception x = e; x != null; x = x.InnerException)
            {
                if (x is HttpRequestException || x is SocketException || x is IOException || x is TimeoutException
                    || x is System.Security.Authentication.AuthenticationException) return true;
                if (x is AggregateException agg && agg.InnerExceptions.Count == 1 && IsConnectionFailure(agg.InnerExceptions[0])) return true;
            }
            return false;
        }

        /// <summary>A pull failure, from the stream's error text or an HTTP error body.</summary>
        internal static EngineException PullFailed(string reference, string engineMessage, Exception inner = null)
        {
            string text = engineMessage ?? "the engine reported an unspecified error";
            string lower = text.ToLowerInvariant();
            if (lower.Contains("manifest unknown") || lower.Contains("not found") || lower.Contains("name unknown") || lower.Contains("does not exist"))
                return new EngineException("ManifestUnknown", "ObjectNotFound", $"The engine could not find {reference} in its registry: {text}", inner);
            // Words, not status numbers: "401" also turns up inside port numbers and digests.
            if (lower.Contains("unauthorized") || lower.Contains("authentication required") || lower.Contains("no basic auth credentials")
                || lower.Contains("access denied") || lower.Contains("access to the resource is denied"))
                return new EngineException("RegistryAuthenticationFailed", "AuthenticationError",
                    $"The registry refused the engine's pull of {reference} (credentials missing or wrong): {text}", inner);
            return new EngineException("PullFailed", "ResourceUnavailable", $"The engine failed to pull {reference}: {text}", inner);
        }

        /// <summary>The "message" field of an engine error body, or the body itself.</summary>
        internal static string Message(DockerApiException e)
        {
            string body = e.ResponseBody;
            if (string.IsNullOrWhiteSpace(body)) return e.StatusCode.ToString();
            try
            {
                using (JsonDocument doc = JsonDocument.Parse(body))
                {
                    if (doc.RootElement.ValueKind == JsonValueKind.Object
                        && doc.RootElement.TryGetProperty("message", out JsonElement m) && m.ValueKind == JsonValueKind.String)
                        return m.GetString();
                }
            }
            catch (JsonException) { }
            return body.Trim();
        }

        internal static bool IsNotFound(DockerApiException e) => e.StatusCode == HttpStatusCode.NotFound;

        internal static Exception Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }
    }
}
