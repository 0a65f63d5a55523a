using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Registry.Authentication
{
    /// <summary>
    /// Credentials from the Docker config, in Docker's order: credHelpers[host], then credsStore, then
    /// auths[host] ("auth" = base64 user:pass, or "identitytoken"). Keys written "host", "https://host" and
    /// "https://host/v1/" all match; Docker Hub is "https://index.docker.io/v1/". Nothing found: anonymous (null).
    /// </summary>
    public sealed class DockerCredentialStore : ICredentialSource
    {
        private readonly string _configPath;
        private readonly CredentialHelperRunner _helpers;
        private readonly Action<string> _log;
        private readonly Lazy<ConfigFile> _config;

        /// <param name="configPath">config.json to read; a missing file means "no credentials".</param>
        /// <param name="helperTimeout">How long a docker-credential-* program may take (default 30 s).</param>
        public DockerCredentialStore(string configPath, TimeSpan? helperTimeout = null, Action<string> log = null)
        {
            _configPath = configPath;
            _log = log;
            _helpers = new CredentialHelperRunner(helperTimeout ?? TimeSpan.FromSeconds(30));
            _config = new Lazy<ConfigFile>(Load);
        }

        /// <summary>$DOCKER_CONFIG/config.json, else ~/.docker/config.json.</summary>
        public static string DefaultConfigPath() => DefaultConfigPath(Environment.GetEnvironmentVariable);

        /// <param name="environment">Reads an environment variable (tests pass their own).</param>
        internal static string DefaultConfigPath(Func<string, string> environment)
        {
            string folder = environment("DOCKER_CONFIG");
            if (string.IsNullOrEmpty(folder))
            {
                string home = environment("HOME");
                if (string.IsNullOrEmpty(home)) home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                folder = Path.Combine(home ?? string.Empty, ".docker");
            }
            return Path.Combine(folder, "config.json");
        }

        public string ConfigPath => _configPath;

        public RegistryCredential GetCredential(string registry, CancellationToken cancellationToken = default)
        {
            var config = _config.Value;
            string serverAddress = HostNames.ServerAddress(registry);

            string helper = FindByHost(config.CredHelpers, registry);
            if (helper != null)
            {
                _log?.Invoke("Credentials for " + serverAddress + ": credential helper docker-credential-" + helper + " (credHelpers)");
                return _helpers.Get(helper, serverAddress, _configPath, cancellationToken);
            }
            if (!string.IsNullOrEmpty(config.CredsStore))
            {
                _log?.Invoke("Credentials for " + serverAddress + ": credential helper docker-credential-" + config.CredsStore + " (credsStore)");
                return _helpers.Get(config.CredsStore, serverAddress, _configPath, cancellationToken);
            }
            var entry = FindByHost(config.Auths, registry);
            if (entry != null)
            {
                _log?.Invoke("Credentials for " + serverAddress + ": auths entry of " + _configPath);
                return entry;
            }
            _log?.Invoke("No credentials for " + serverAddress + " in " + (_config.Value.Exists ? _configPath : "any Docker config") + ": anonymous");
            return null;
        }

        private static T FindByHost<T>(Dictionary<string, T> entries, string registry) where T : class
        {
            if (entries.TryGetValue(registry, out var exact)) return exact;
            foreach (var pair in entries)
            {
                if (HostNames.SameRegistry(pair.Key, registry)) return pair.Value;
            }
            return null;
        }

        private ConfigFile Load()
        {
            var config = new ConfigFile();
            if (string.IsNullOrEmpty(_configPath) || !File.Exists(_configPath)) return config;
            config.Exists = true;
            try
            {
                using (var document = JsonDocument.Parse(File.ReadAllText(_configPath)))
                {
                    var root = document.RootElement;
                    if (root.ValueKind != JsonValueKind.Object) throw Invalid("the top level is not a JSON object");
                    if (root.TryGetProperty("credsStore", out var store) && store.ValueKind == JsonValueKind.String)
                        config.CredsStore = store.GetString();
                    if (root.TryGetProperty("credHelpers", out var helpers) && helpers.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var p in helpers.EnumerateObject())
                            if (p.Value.ValueKind == JsonValueKind.String) config.CredHelpers[p.Name] = p.Value.GetString();
                    }
                    if (root.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var p in auths.EnumerateObject())
                        {
                            var credential = ReadAuth(p.Name, p.Value);
                            if (credential != null) config.Auths[p.Name] = credential;
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // The parser's message may quote the file's content: report the position-free fact only.
                throw Invalid("it is not valid JSON");
            }
            catch (IOException e)
            {
                throw Invalid("it cannot be read (" + e.GetType().Name + ")");
            }
            catch (UnauthorizedAccessException)
            {
                throw Invalid("access is denied");
            }
            return config;
        }

        private RegistryCredential ReadAuth(string key, JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.Object) return null;
            string identityToken = value.TryGetProperty("identitytoken", out var it) && it.ValueKind == JsonValueKind.String ? it.GetString() : null;
            string username = null, password = null;
            if (value.TryGetProperty("auth", out var auth) && auth.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(auth.GetString()))
            {
                string decoded;
                try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth.GetString())); }
                catch (FormatException) { throw Invalid("the auths entry for " + HostNames.Normalize(key) + " has an \"auth\" value that is not base64"); }
                int colon = decoded.IndexOf(':');
                if (colon < 0) throw Invalid("the auths entry for " + HostNames.Normalize(key) + " has an \"auth\" value that is not user:password");
                username = decoded.Substring(0, colon);
                password = decoded.Substring(colon + 1);
            }
            else
            {
                // Older configs (and some tools) write username/password in the clear.
                if (value.TryGetProperty("username", out var u) && u.ValueKind == JsonValueKind.String) username = u.GetString();
                if (value.TryGetProperty("password", out var pw) && pw.ValueKind == JsonValueKind.String) password = pw.GetString();
            }
            if (string.IsNullOrEmpty(identityToken) && (string.IsNullOrEmpty(username) || password == null)) return null;
            // An identity token supersedes the password, as in Docker.
            return string.IsNullOrEmpty(identityToken)
                ? new RegistryCredential(username, password)
                : new RegistryCredential(username, null, identityToken);
        }

        private FailureException Invalid(string why)
            => new FailureException(ErrorCatalog.RegistryCredentialConfigInvalid,
                "The Docker config " + _configPath + " cannot be used for credentials: " + why + ".");

        private sealed class ConfigFile
        {
            public bool Exists;
            public string CredsStore;
            public readonly Dictionary<string, string> CredHelpers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            public readonly Dictionary<string, RegistryCredential> Auths = new Dictionary<string, RegistryCredential>(StringComparer.OrdinalIgnoreCase);
        }
    }
}
