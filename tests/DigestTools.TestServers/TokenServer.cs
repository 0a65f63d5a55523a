// Written without nullable annotations (it began as a file PowerShell compiled with Add-Type).
#nullable disable
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace DigestTools.TestServers
{
    /// <summary>
    /// A Docker token server for tests (the registry's `auth: token:` mode): signs RS256 JWTs with a
    /// self-signed key whose certificate it writes for the registry's rootcertbundle. Knows users and the
    /// repositories each may pull, counts and records every request, and can issue short-lived or already
    /// expired tokens on demand. BCL only and one file, so PowerShell tests can Add-Type it.
    /// </summary>
    public sealed class TokenServer : IDisposable
    {
        private readonly HttpListener _listener = new HttpListener();
        private readonly RSA _key;
        private readonly string _certificateBase64;
        private readonly ConcurrentQueue<TokenRequestRecord> _requests = new ConcurrentQueue<TokenRequestRecord>();
        private readonly ConcurrentDictionary<string, UserEntry> _users = new ConcurrentDictionary<string, UserEntry>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, string> _refreshTokens = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        private readonly Task _loop;
        private int _requestCount;

        /// <param name="directory">Where the certificate bundle (token-cert.pem) is written.</param>
        public TokenServer(string directory, string service = "digesttools-test-registry", string issuer = "digesttools-test-issuer")
        {
            Service = service;
            Issuer = issuer;
            _key = RSA.Create(2048);
            var request = new CertificateRequest("CN=digesttools test token issuer", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using (var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2)))
            {
                _certificateBase64 = Convert.ToBase64String(certificate.RawData);
            }
            Directory.CreateDirectory(directory);
            CertificateBundlePath = Path.Combine(directory, "token-cert.pem");
            File.WriteAllText(CertificateBundlePath,
                "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(Convert.FromBase64String(_certificateBase64), Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n")
                + "\n-----END CERTIFICATE-----\n");

            Port = StartListening();
            Realm = "http://127.0.0.1:" + Port + "/token";
            _loop = Task.Run(AcceptLoopAsync);
        }

        public string Service { get; }
        public string Issuer { get; }
        public int Port { get; }

        /// <summary>The token endpoint, for the registry config and the Bearer challenge.</summary>
        public string Realm { get; }
        public string CertificateBundlePath { get; }

        /// <summary>expires_in and the exp claim of the tokens issued from now on.</summary>
        public int TokenLifetimeSeconds { get; set; } = 300;

        /// <summary>
        /// The next N tokens carry an exp long past (beyond the registry's clock-skew leeway) while expires_in
        /// promises a long life: the registry answers 401 invalid_token to them, as it would to a revoked token.
        /// </summary>
        public int ExpiredTokensToIssue { get => Volatile.Read(ref _expiredToIssue); set => Volatile.Write(ref _expiredToIssue, value); }
        private int _expiredToIssue;

        /// <summary>Every token issued, for tests that search captured output for secrets.</summary>
        public IReadOnlyList<string> IssuedTokens => _issued.ToArray();
        private readonly ConcurrentQueue<string> _issued = new ConcurrentQueue<string>();

        /// <summary>Which JSON fields carry the token: "token", "access_token" or "both".</summary>
        public string TokenField { get; set; } = "both";

        /// <summary>Repositories anyone may pull without credentials (Docker Hub style public images).</summary>
        public ISet<string> PublicRepositories { get; } = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Token requests answered so far (every request to /token, refused ones included).</summary>
        public int RequestCount => Volatile.Read(ref _requestCount);

        public IReadOnlyList<TokenRequestRecord> Requests => _requests.ToArray();

        /// <summary>Adds a user; <paramref name="repositories"/> null means every repository, pull and push.</summary>
        public void AddUser(string username, string password, params string[] repositories)
            => _users[username] = new UserEntry(password, repositories == null || repositories.Length == 0 ? null : new HashSet<string>(repositories));

        /// <summary>An OAuth refresh token (Docker's identity token) standing for <paramref name="username"/>.</summary>
        public void AddRefreshToken(string refreshToken, string username) => _refreshTokens[refreshToken] = username;

        public void ResetCounters()
        {
            Interlocked.Exchange(ref _requestCount, 0);
            while (_requests.TryDequeue(out _)) { }
        }

        private int StartListening()
        {
            for (int attempt = 0; ; attempt++)
            {
                var probe = new TcpListener(IPAddress.Loopback, 0);
                probe.Start();
                int port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
                try
                {
                    _listener.Prefixes.Clear();
                    _listener.Prefixes.Add("http://127.0.0.1:" + port + "/");
                    _listener.Start();
                    return port;
                }
                catch (HttpListenerException) when (attempt < 5)
                {
                    // Someone took the port between probe and bind: ask again.
                }
            }
        }

        private async Task AcceptLoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync().ConfigureAwait(false); }
                catch (Exception) when (!_listener.IsListening) { return; }
                catch (HttpListenerException) { return; }
                catch (ObjectDisposedException) { return; }
                _ = Task.Run(() => Handle(context));
            }
        }

        private void Handle(HttpListenerContext context)
        {
            try
            {
                if (context.Request.Url.AbsolutePath != "/token")
                {
                    Respond(context, 404, "{\"error\":\"not found\"}");
                    return;
                }
                Interlocked.Increment(ref _requestCount);
                Answer(context);
            }
            catch (Exception e)
            {
                try { Respond(context, 500, JsonSerializer.Serialize(new { error = e.GetType().Name })); } catch { /* client gone */ }
            }
        }

        private void Answer(HttpListenerContext context)
        {
            var request = context.Request;
            string service = request.QueryString["service"];
            var scopes = (request.QueryString.GetValues("scope") ?? new string[0]).ToList();
            string user = null;
            bool authenticated = false;
            string grant = null;

            if (request.HttpMethod == "POST")
            {
                var form = ParseForm(new StreamReader(request.InputStream, Encoding.UTF8).ReadToEnd());
                grant = Value(form, "grant_type");
                service = Value(form, "service") ?? service;
                scopes.AddRange(form.Where(p => p.Key == "scope").Select(p => p.Value));
                if (grant == "refresh_token")
                {
                    string refresh = Value(form, "refresh_token");
                    if (refresh == null || !_refreshTokens.TryGetValue(refresh, out user))
                    {
                        Record(request.HttpMethod, null, scopes, false, grant, false);
                        Respond(context, 401, "{\"error\":\"invalid_grant\"}");
                        return;
                    }
                    authenticated = true;
                }
                else if (grant == "password")
                {
                    user = Value(form, "username");
                    if (user == null || !_users.TryGetValue(user, out var entry) || entry.Password != Value(form, "password"))
                    {
                        Record(request.HttpMethod, user, scopes, false, grant, false);
                        Respond(context, 401, "{\"error\":\"invalid_grant\"}");
                        return;
                    }
                    authenticated = true;
                }
                else
                {
                    Record(request.HttpMethod, null, scopes, false, grant, false);
                    Respond(context, 400, "{\"error\":\"unsupported_grant_type\"}");
                    return;
                }
            }

            string authorization = request.Headers["Authorization"];
            if (!authenticated && authorization != null)
            {
                if (!TryBasic(authorization, out user, out var password)
                    || !_users.TryGetValue(user, out var entry) || entry.Password != password)
                {
                    Record(request.HttpMethod, user, scopes, true, grant, false);
                    context.Response.AddHeader("WWW-Authenticate", "Basic realm=\"token\"");
                    Respond(context, 401, "{\"details\":\"incorrect username or password\"}");
                    return;
                }
                authenticated = true;
            }

            var access = scopes.Select(s => Grant(s, authenticated ? user : null)).Where(a => a != null).ToList();
            Record(request.HttpMethod, user, scopes, authorization != null, grant, true);
            int lifetime = TokenLifetimeSeconds;
            bool expired = Interlocked.Decrement(ref _expiredToIssue) >= 0;
            if (!expired) Interlocked.Increment(ref _expiredToIssue);
            string token = Sign(authenticated ? user : "", service ?? Service, access, lifetime, expired);
            _issued.Enqueue(token);
            var answer = new Dictionary<string, object>();
            if (TokenField != "access_token") answer["token"] = token;
            if (TokenField != "token") answer["access_token"] = token;
            answer["expires_in"] = expired ? 3600 : lifetime;
            answer["issued_at"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
            Respond(context, 200, JsonSerializer.Serialize(answer));
        }

        // scope "repository:<name>:<actions>" -> the actions this caller may have (anonymous: public pulls only).
        private object Grant(string scope, string user)
        {
            var parts = scope.Split(':');
            if (parts.Length < 3 || parts[0] != "repository") return null;
            string name = string.Join(":", parts.Skip(1).Take(parts.Length - 2));
            var requested = parts[parts.Length - 1].Split(',');
            string[] allowed;
            if (user != null && _users.TryGetValue(user, out var entry) && (entry.Repositories == null || entry.Repositories.Contains(name)))
                allowed = requested.Where(a => a == "pull" || a == "push").ToArray();
            else if (PublicRepositories.Contains(name))
                allowed = requested.Where(a => a == "pull").ToArray();
            else
                allowed = new string[0];
            return new { type = "repository", name, actions = allowed };
        }

        private string Sign(string subject, string audience, List<object> access, int lifetimeSeconds, bool expired)
        {
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            long expires = expired ? now - 3600 : now + lifetimeSeconds;
            var header = new Dictionary<string, object> { ["typ"] = "JWT", ["alg"] = "RS256", ["x5c"] = new[] { _certificateBase64 } };
            var claims = new Dictionary<string, object>
            {
                ["iss"] = Issuer,
                ["sub"] = subject,
                ["aud"] = audience,
                ["exp"] = expires,
                ["nbf"] = expired ? now - 7200 : now - 10,
                ["iat"] = expired ? now - 7200 : now,
                ["jti"] = Guid.NewGuid().ToString("N"),
                ["access"] = access,
            };
            string signingInput = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
            byte[] signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return signingInput + "." + Base64Url(signature);
        }

        private void Record(string method, string user, List<string> scopes, bool hadAuthorization, string grant, bool granted)
            => _requests.Enqueue(new TokenRequestRecord(method, user, scopes.ToArray(), hadAuthorization, grant, granted));

        private static bool TryBasic(string header, out string user, out string password)
        {
            user = password = null;
            if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
            try
            {
                string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Substring(6).Trim()));
                int colon = decoded.IndexOf(':');
                if (colon < 0) return false;
                user = decoded.Substring(0, colon);
                password = decoded.Substring(colon + 1);
                return true;
            }
            catch (FormatException) { return false; }
        }

        private static List<KeyValuePair<string, string>> ParseForm(string body)
            => body.Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split(new[] { '=' }, 2))
                .Select(kv => new KeyValuePair<string, string>(Unescape(kv[0]), kv.Length > 1 ? Unescape(kv[1]) : ""))
                .ToList();

        private static string Unescape(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

        private static string Value(List<KeyValuePair<string, string>> form, string name)
            => form.Where(p => p.Key == name).Select(p => p.Value).FirstOrDefault();

        private static void Respond(HttpListenerContext context, int status, string json)
        {
            byte[] body = Encoding.UTF8.GetBytes(json);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = body.Length;
            context.Response.OutputStream.Write(body, 0, body.Length);
            context.Response.Close();
        }

        private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public void Dispose()
        {
            try { _listener.Stop(); _listener.Close(); } catch (ObjectDisposedException) { }
            try { _loop.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
            _key.Dispose();
        }

        private sealed class UserEntry
        {
            public UserEntry(string password, HashSet<string> repositories) { Password = password; Repositories = repositories; }
            public string Password { get; }
            public HashSet<string> Repositories { get; }
        }
    }

    /// <summary>One request the token server saw: who asked for what, and whether a token was issued.</summary>
    public sealed class TokenRequestRecord
    {
        public TokenRequestRecord(string method, string user, string[] scopes, bool hadAuthorization, string grantType, bool issued)
        {
            Method = method; User = user; Scopes = scopes; HadAuthorization = hadAuthorization; GrantType = grantType; Issued = issued;
        }

        public string Method { get; }
        public string User { get; }
        public string[] Scopes { get; }
        public bool HadAuthorization { get; }
        public string GrantType { get; }
        public bool Issued { get; }

        public override string ToString() => Method + " user=" + (User ?? "-") + " scope=" + string.Join(" ", Scopes) + " issued=" + Issued;
    }
}
