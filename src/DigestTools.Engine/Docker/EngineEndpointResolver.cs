using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Docker
{
    /// <summary>
    /// Chooses the engine address the way the docker CLI does: an explicit address, then DOCKER_HOST, then
    /// DOCKER_CONTEXT (or the config's currentContext), then the platform default. Environment and file
    /// system come in as delegates/paths so the precedence can be tested without touching the machine.
    /// </summary>
    public sealed class EngineEndpointResolver
    {
        internal const string WindowsDefault = "npipe://./pipe/docker_engine";
        internal const string UnixDefault = "unix:///var/run/docker.sock";

        private readonly Func<string, string> _environment;
        private readonly string _dockerConfigFolder;
        private readonly bool _isWindows;

        public EngineEndpointResolver()
            : this(Environment.GetEnvironmentVariable, null, RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) { }

        internal EngineEndpointResolver(Func<string, string> environment, string dockerConfigFolder, bool isWindows)
        {
            _environment = environment;
            _isWindows = isWindows;
            _dockerConfigFolder = dockerConfigFolder ?? DefaultConfigFolder(environment);
        }

        /// <summary>Resolves the endpoint; <paramref name="explicitAddress"/> (from -EngineUri) wins when given.</summary>
        /// <exception cref="FailureException">InvalidEngineUri or EngineContextNotFound.</exception>
        public EngineEndpoint Resolve(string explicitAddress)
        {
            if (!string.IsNullOrWhiteSpace(explicitAddress))
                return WithTlsSettings(Parse(explicitAddress, "-EngineUri"), "-EngineUri");

            string host = _environment("DOCKER_HOST");
            if (!string.IsNullOrWhiteSpace(host))
                return WithTlsSettings(Parse(host, "DOCKER_HOST"), "DOCKER_HOST");

            string context = _environment("DOCKER_CONTEXT");
            string contextSource = "DOCKER_CONTEXT";
            if (string.IsNullOrWhiteSpace(context))
            {
                context = CurrentContextFromConfig();
                contextSource = "config.json currentContext";
            }
            if (!string.IsNullOrWhiteSpace(context) && !string.Equals(context, "default", StringComparison.Ordinal))
            {
                string source = contextSource + "=" + context;
                return new EngineEndpoint(Parse(ContextHost(context, source), source), source);
            }

            return new EngineEndpoint(new Uri(_isWindows ? WindowsDefault : UnixDefault), "default");
        }

        // TLS settings from the environment apply to tcp addresses only, like the CLI.
        private EngineEndpoint WithTlsSettings(Uri address, string source)
        {
            bool tcp = address.Scheme == "tcp" || address.Scheme == "https";
            if (!tcp) return new EngineEndpoint(address, source);
            bool verify = !string.IsNullOrEmpty(_environment("DOCKER_TLS_VERIFY"));
            string certPath = _environment("DOCKER_CERT_PATH");
            if (string.IsNullOrEmpty(certPath) && verify) certPath = _dockerConfigFolder;
            return new EngineEndpoint(address, source, verify, string.IsNullOrEmpty(certPath) ? null : certPath);
        }

        internal static Uri Parse(string address, string source)
        {
            string text = address.Trim();
            // "host:port" alone is what some users set DOCKER_HOST to; the CLI reads it as tcp.
            if (!text.Contains("://")) text = "tcp://" + text;
            if (!Uri.TryCreate(text, UriKind.Absolute, out Uri uri))
                throw new FailureException(ErrorCatalog.InvalidEngineUri, $"The engine address '{address}' from {source} is not a valid URI.");
            switch (uri.Scheme)
            {
                case "unix":
                case "npipe":
                    return uri;
                case "tcp":
                case "http":
                case "https":
                    if (string.IsNullOrEmpty(uri.Host))
                        throw new FailureException(ErrorCatalog.InvalidEngineUri, $"The engine address '{address}' from {source} names no host.");
                    return uri;
                case "ssh":
                    throw new FailureException(ErrorCatalog.InvalidEngineUri, $"The engine address '{address}' from {source} uses ssh://, which DigestTools does not support; forward the socket and use unix:// or tcp://.");
                default:
                    throw new FailureException(ErrorCatalog.InvalidEngineUri, $"The engine address '{address}' from {source} has the unsupported scheme '{uri.Scheme}' (use unix://, npipe://, tcp://).");
            }
        }

        private string CurrentContextFromConfig()
        {
            string file = Path.Combine(_dockerConfigFolder, "config.json");
            if (!File.Exists(file)) return null;
            try
            {
                using (JsonDocument doc = JsonDocument.Parse(File.ReadAllText(file)))
                {
                    return doc.RootElement.ValueKind == JsonValueKind.Object
                        && doc.RootElement.TryGetProperty("currentContext", out JsonElement current)
                        && current.ValueKind == JsonValueKind.String ? current.GetString() : null;
                }
            }
            catch (JsonException) { return null; }   // a broken config should not stop us from using the default
        }

        // ~/.docker/contexts/meta/<sha256(name)>/meta.json : { "Endpoints": { "docker": { "Host": "..." } } }
        private string ContextHost(string context, string source)
        {
            string folder = Path.Combine(_dockerConfigFolder, "contexts", "meta", Sha256Hex(context));
            string file = Path.Combine(folder, "meta.json");
            if (!File.Exists(file))
                throw new FailureException(ErrorCatalog.EngineContextNotFound, $"The docker context '{context}' ({source}) was not found: {file} does not exist.");
            try
            {
                using (JsonDocument doc = JsonDocument.Parse(File.ReadAllText(file)))
                {
                    if (doc.RootElement.TryGetProperty("Endpoints", out JsonElement endpoints)
                        && endpoints.TryGetProperty("docker", out JsonElement docker)
                        && docker.TryGetProperty("Host", out JsonElement host)
                        && host.ValueKind == JsonValueKind.String)
                        return host.GetString();
                }
            }
            catch (JsonException e)
            {
                throw new FailureException(ErrorCatalog.EngineContextNotFound, $"The docker context '{context}' has an unreadable {file}: {e.Message}", e);
            }
            throw new FailureException(ErrorCatalog.EngineContextNotFound, $"The docker context '{context}' declares no docker endpoint in {file}.");
        }

        internal static string Sha256Hex(string text)
        {
            using (SHA256 sha = SHA256.Create())
            {
                byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
                var sb = new StringBuilder(64);
                foreach (byte b in hash) sb.Append(b.ToString("x2"));
                return sb.ToString();
            }
        }

        private static string DefaultConfigFolder(Func<string, string> environment)
        {
            string fromEnv = environment("DOCKER_CONFIG");
            if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
            string home = environment("HOME") ?? environment("USERPROFILE") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return Path.Combine(home ?? ".", ".docker");
        }
    }
}
