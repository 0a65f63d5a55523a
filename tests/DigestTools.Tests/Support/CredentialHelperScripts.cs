using System;
using System.Diagnostics;
using System.IO;

namespace DigestTools.Tests.Support
{
    /// <summary>
    /// Small docker-credential-* programs speaking the real helper protocol (server URL on stdin to "get",
    /// JSON {ServerURL,Username,Secret} on stdout), in a folder put on PATH once for the test process.
    /// </summary>
    public static class CredentialHelperScripts
    {
        private static readonly object Gate = new object();
        private static string _folder;

        // Every helper and config of this test process lives here; the auth collection fixture deletes it.
        private static readonly Lazy<string> Root = new Lazy<string>(() =>
        {
            string root = Path.Combine(Path.GetTempPath(), "dt-auth-xunit-files-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(root);
            return root;
        });

        public static void DeleteAll()
        {
            if (!Root.IsValueCreated) return;
            try { Directory.Delete(Root.Value, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }

        /// <summary>Writes docker-credential-&lt;name&gt; with the given shell body; $url holds the server URL read from stdin.</summary>
        public static string Install(string name, string body)
        {
            lock (Gate)
            {
                if (_folder == null)
                {
                    _folder = Path.Combine(Root.Value, "bin");
                    Directory.CreateDirectory(_folder);
                    Environment.SetEnvironmentVariable("PATH", _folder + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"));
                }
                string path = Path.Combine(_folder, "docker-credential-" + name);
                File.WriteAllText(path, "#!/bin/sh\nIFS= read -r url\necho \"$1 $url\" >> \"" + path + ".calls\"\n" + body + "\n");
                using (var chmod = Process.Start("chmod", "+x " + path)) chmod.WaitForExit();
                return path;
            }
        }

        /// <summary>Lines "get &lt;server url&gt;" the helper received.</summary>
        public static string[] Calls(string scriptPath)
            => File.Exists(scriptPath + ".calls") ? File.ReadAllLines(scriptPath + ".calls") : new string[0];

        /// <summary>A config.json in a new folder under <paramref name="under"/> (default: this process's folder the auth fixture deletes).</summary>
        public static string WriteConfig(string json, string under = null)
        {
            string folder = Path.Combine(under ?? Root.Value, "config-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(folder);
            string path = Path.Combine(folder, "config.json");
            File.WriteAllText(path, json);
            return path;
        }

        public static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
    }
}
