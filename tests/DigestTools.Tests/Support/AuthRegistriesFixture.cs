using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using DigestTools.TestServers;
using Xunit;

namespace DigestTools.Tests.Support
{
    /// <summary>
    /// Real registries over one storage folder: anonymous (to push test images and to sit behind fault
    /// proxies), htpasswd (bcrypt) and token auth with the test token server. Started once per test run.
    /// </summary>
    public sealed class AuthRegistriesFixture : IDisposable
    {
        public const string User = "alice";
        public const string LimitedUser = "bob";          // may pull only "other/gamma"
        public const string PublicRepository = "public/delta";
        public static readonly string[] Repositories = { "fixtures/alpha", "private/beta", "other/gamma", PublicRepository };

        public AuthRegistriesFixture()
        {
            Root = Path.Combine(Path.GetTempPath(), "dt-auth-xunit-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            string data = Path.Combine(Root, "data");
            Directory.CreateDirectory(data);
            // Random per run: the secrets tests search every captured text for these.
            Password = "pw-" + Guid.NewGuid().ToString("N");
            LimitedPassword = "pw-" + Guid.NewGuid().ToString("N");

            Anonymous = RegistryProcess.Start(Path.Combine(Root, "anonymous"), data);
            Anonymous.EndWithThisProcess();
            foreach (var repository in Repositories)
            {
                Digests[repository] = PushTestImageAsync(Anonymous.Address, repository, "v1").GetAwaiter().GetResult();
            }

            string htpasswd = Path.Combine(Root, "htpasswd");
            File.WriteAllText(htpasswd, Htpasswd(User, Password) + Htpasswd(LimitedUser, LimitedPassword));
            Basic = RegistryProcess.Start(Path.Combine(Root, "basic"), data,
                "  htpasswd: { realm: basic-realm, path: '" + htpasswd + "' }\n");
            Basic.EndWithThisProcess();

            Tokens = new TokenServer(Path.Combine(Root, "token"));
            Tokens.AddUser(User, Password);
            Tokens.AddUser(LimitedUser, LimitedPassword, "other/gamma");
            Tokens.PublicRepositories.Add(PublicRepository);
            Token = RegistryProcess.Start(Path.Combine(Root, "token-registry"), data,
                "  token: { realm: '" + Tokens.Realm + "', service: '" + Tokens.Service + "', issuer: '" + Tokens.Issuer
                + "', rootcertbundle: '" + Tokens.CertificateBundlePath + "' }\n");
            Token.EndWithThisProcess();
        }

        public string Root { get; }
        public string Password { get; }
        public string LimitedPassword { get; }
        public RegistryProcess Anonymous { get; }
        public RegistryProcess Basic { get; }
        public RegistryProcess Token { get; }
        public TokenServer Tokens { get; }
        public System.Collections.Generic.Dictionary<string, string> Digests { get; } = new System.Collections.Generic.Dictionary<string, string>();

        private static string Htpasswd(string user, string password)
        {
            var start = new ProcessStartInfo("htpasswd", "-Bbn " + user + " " + password) { UseShellExecute = false, RedirectStandardOutput = true };
            using (var process = Process.Start(start))
            {
                string line = process.StandardOutput.ReadToEnd().Trim();
                process.WaitForExit();
                if (process.ExitCode != 0 || !line.StartsWith(user + ":$2")) throw new InvalidOperationException("htpasswd -B failed");
                return line + "\n";
            }
        }

        /// <summary>Pushes a one-layer OCI image through the plain registry API and returns its manifest digest.</summary>
        public static async Task<string> PushTestImageAsync(string authority, string repository, string tag)
        {
            using (var client = new HttpClient { BaseAddress = new Uri("http://" + authority) })
            {
                byte[] layer = Encoding.UTF8.GetBytes("layer of " + repository + " " + Guid.NewGuid());
                byte[] config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Sha256(layer) + "\"]},\"config\":{}}");
                await PushBlobAsync(client, repository, layer);
                await PushBlobAsync(client, repository, config);
                string manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                    + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Sha256(config) + "\",\"size\":" + config.Length + "},"
                    + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + Sha256(layer) + "\",\"size\":" + layer.Length + "}]}";
                byte[] manifestBytes = Encoding.UTF8.GetBytes(manifest);
                var content = new ByteArrayContent(manifestBytes);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
                var put = await client.PutAsync("/v2/" + repository + "/manifests/" + tag, content);
                if (!put.IsSuccessStatusCode) throw new InvalidOperationException("manifest push failed: " + (int)put.StatusCode + " " + await put.Content.ReadAsStringAsync());
                return Sha256(manifestBytes);
            }
        }

        private static async Task PushBlobAsync(HttpClient client, string repository, byte[] blob)
        {
            var start = await client.PostAsync("/v2/" + repository + "/blobs/uploads/", null);
            if ((int)start.StatusCode != 202) throw new InvalidOperationException("upload start failed: " + (int)start.StatusCode);
            var location = start.Headers.Location.IsAbsoluteUri ? start.Headers.Location : new Uri(client.BaseAddress, start.Headers.Location);
            string separator = location.Query.Length > 0 ? "&" : "?";
            var put = await client.PutAsync(location + separator + "digest=" + Uri.EscapeDataString(Sha256(blob)), new ByteArrayContent(blob));
            if ((int)put.StatusCode != 201) throw new InvalidOperationException("blob upload failed: " + (int)put.StatusCode);
        }

        public static string Sha256(byte[] bytes)
        {
            using (var sha = SHA256.Create())
                return "sha256:" + BitConverter.ToString(sha.ComputeHash(bytes)).Replace("-", "").ToLowerInvariant();
        }

        public void Dispose()
        {
            Token?.Dispose();
            Tokens?.Dispose();
            Basic?.Dispose();
            Anonymous?.Dispose();
            try { Directory.Delete(Root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    [CollectionDefinition(Name)]
    public sealed class AuthRegistriesCollection : ICollectionFixture<AuthRegistriesFixture>
    {
        public const string Name = "Auth registries";
    }
}
