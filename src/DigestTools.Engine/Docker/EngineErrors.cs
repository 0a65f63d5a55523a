using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Docker
{
    /// <summary>Turns what Docker.DotNet throws, and errors inside a pull stream, into FailureExceptions with stable ids.</summary>
    internal static class EngineErrors
    {
        internal static FailureException Unreachable(EngineEndpoint endpoint, Exception cause)
            => new FailureException(ErrorCatalog.EngineUnreachable,
                $"No container engine answered at {endpoint.Address.OriginalString} (from {endpoint.Source}): {Cause(endpoint, cause)}", cause);

        // A missing socket file is the true cause; the socket layer reports it as an unrelated address error.
        private static string Cause(EngineEndpoint endpoint, Exception cause)
        {
            bool unixSocket = string.Equals(endpoint.Address.Scheme, "unix", StringComparison.OrdinalIgnoreCase);
            if (unixSocket && !File.Exists(endpoint.Address.LocalPath)) return $"no engine socket at {endpoint.Address.LocalPath}.";
            return Innermost(cause).Message;
        }

        /// <summary>
        /// The address answered, but not like a container engine: a web server's HTML page, a proxy's error, JSON
        /// that does not parse. Whatever it did, the engine may or may not have acted on the request.
        /// </summary>
        internal static FailureException NotAnEngine(EngineEndpoint endpoint, string what, Exception cause)
            => new FailureException(ErrorCatalog.NotAContainerEngine,
                $"The address {endpoint.Address.OriginalString} (from {endpoint.Source}) did not answer like a container engine when asked to {what}: "
                + (cause is DockerApiException api ? $"it answered HTTP {(int)api.StatusCode}{ShortText(api)}"
                    : cause == null ? "its reply lacks what every engine sends" : "its reply is not the engine API's JSON")
                + ". Check -EngineUri, DOCKER_HOST and DOCKER_CONTEXT.", cause);

        /// <summary>A create reply that parsed but named a container the engine does not have, or one this create did not make.</summary>
        internal static FailureException ReplyNamedAnotherContainer(EngineEndpoint endpoint, string name, string id, bool exists)
            => new FailureException(ErrorCatalog.NotAContainerEngine,
                $"The address {endpoint.Address.OriginalString} (from {endpoint.Source}) did not answer like a container engine when asked to create "
                + $"{name ?? "a container"}: its reply named container {Short(id)}, "
                + (exists ? "which is not the container this create made" : "which the engine does not have")
                + ", so the reply cannot be trusted.", null);

        // A plain-text error line helps ("Client sent an HTTP request to an HTTPS server."); a web page does not.
        private static string ShortText(DockerApiException e)
        {
            string text = string.IsNullOrWhiteSpace(e.ResponseBody) ? null : Message(e);
            if (text == null || text.StartsWith("<", StringComparison.Ordinal) || text.Length > 200 || text.Contains("\n")) return "";
            return " (" + text + ")";
        }

        /// <summary>A request that got no answer (or, streaming, no progress) within the timeout.</summary>
        internal static FailureException TimedOut(EngineEndpoint endpoint, string what, TimeSpan timeout, bool streaming, Exception cause)
            => new FailureException(ErrorCatalog.EngineTimeout,
                $"The engine at {endpoint.Address.OriginalString} "
                + (streaming ? $"sent no progress for {timeout.TotalSeconds:0.###} s" : $"did not answer within {timeout.TotalSeconds:0.###} s")
                + $" when asked to {what} (-TimeoutSec).", cause);

        /// <summary>A container that disappeared under the call (removed by someone else).</summary>
        internal static FailureException ContainerGone(string id, string when, Exception cause = null)
            => new FailureException(ErrorCatalog.ContainerNotFound,
                $"Container {Short(id)} was removed by someone else {when}; it has no result to report.", cause);

        internal static string Short(string id) => id == null ? "(unknown)" : id.Substring(0, Math.Min(12, id.Length));

        /// <summary>True when the reply could not be parsed: the address is not speaking the engine API.</summary>
        internal static bool IsUnreadableReply(Exception e)
        {
            for (Exception x = e; x != null; x = x.InnerException)
                if (x is JsonException) return true;
            return false;
        }

        /// <summary>
        /// True for failures that mean "nothing is listening / the connection broke / TLS refused it". An
        /// AggregateException's InnerException is its first inner exception, so the walk looks inside it too.
        /// </summary>
        internal static bool IsConnectionFailure(Exception e)
        {
            for (Exception x = e; x != null; x = x.InnerException)
                if (x is HttpRequestException || x is SocketException || x is IOException || x is TimeoutException
                    || x is System.Security.Authentication.AuthenticationException) return true;
            return false;
        }

        /// <summary>A pull failure, from the stream's error text or an HTTP error body.</summary>
        internal static FailureException PullFailed(string reference, string engineMessage, Exception inner = null)
        {
            string text = WithoutRepeats(engineMessage ?? "the engine reported an unspecified error");
            string lower = text.ToLowerInvariant();
            if (lower.Contains("manifest unknown") || lower.Contains("not found") || lower.Contains("name unknown") || lower.Contains("does not exist"))
                return new FailureException(ErrorCatalog.ManifestUnknown, $"The engine could not find {reference} in its registry: {text}", inner);
            // Words, not status numbers: "401" also turns up inside port numbers and digests.
            if (lower.Contains("unauthorized") || lower.Contains("authentication required") || lower.Contains("no basic auth credentials")
                || lower.Contains("access denied") || lower.Contains("access to the resource is denied"))
                return new FailureException(ErrorCatalog.RegistryAuthenticationFailed, $"The registry refused the engine's pull of {reference} (credentials missing or wrong): {text}", inner);
            return new FailureException(ErrorCatalog.PullFailed, $"The engine failed to pull {reference}: {text}", inner);
        }

        /// <summary>
        /// The engine's message with a part repeated back to back said once: the daemon wraps a registry error
        /// in its own words, which often are the same ("manifest unknown: manifest unknown").
        /// </summary>
        internal static string WithoutRepeats(string message)
        {
            var parts = new System.Collections.Generic.List<string>();
            foreach (string part in message.Split(new[] { ": " }, StringSplitOptions.None))
                if (parts.Count == 0 || !string.Equals(parts[parts.Count - 1], part, StringComparison.OrdinalIgnoreCase)) parts.Add(part);
            return string.Join(": ", parts);
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

        /// <summary>
        /// A container someone else is removing: Podman answers an inspect in the middle of a removal with a 500
        /// that says so, where Docker answers 404.
        /// </summary>
        internal static bool IsContainerGone(DockerApiException e)
        {
            string text = Message(e).ToLowerInvariant();
            return IsNotFound(e) || text.Contains("no such container") || text.Contains("has already been removed");
        }

        internal static Exception Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }
    }
}
