using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

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

        // Every helper and config of this test process lives here. Its bin folder stays on PATH for the whole process
        // and unit classes use it too, so it goes when the process exits, not when one test collection ends.
        private static readonly Lazy<string> Root = new Lazy<string>(() =>
        {
            string root = Path.Combine(Path.GetTempPath(), "dt-auth-xunit-files-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(root);
            AppDomain.CurrentDomain.ProcessExit += (sender, e) => DeleteAll();
            return root;
        });

        /// <summary>How long a test waits for a helper's child to appear or to go: a guard against a hang, not a timing assertion.</summary>
        public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

        private static void DeleteAll()
        {
            if (!Root.IsValueCreated) return;
            try { Directory.Delete(Root.Value, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }

        /// <summary>
        /// Writes docker-credential-&lt;name&gt; with the given shell body; $url holds the server URL read from stdin
        /// (unless <paramref name="readsInput"/> is false: a helper that never reads its input).
        /// </summary>
        public static string Install(string name, string body, bool readsInput = true)
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
                string input = readsInput ? "IFS= read -r url\n" : "";
                File.WriteAllText(path, "#!/bin/sh\n" + input + "echo \"$1 $url\" >> \"" + path + ".calls\"\n" + body + "\n");
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

        /// <summary>The pid a helper body wrote with <c>echo $! &gt; "$0.child"</c> (a child it started), once it is there.</summary>
        public static async Task<int> ChildOfAsync(string helper)
        {
            for (var watch = Stopwatch.StartNew(); watch.Elapsed < HangGuard; await Task.Delay(50))
            {
                string text = File.Exists(helper + ".child") ? File.ReadAllText(helper + ".child").Trim() : "";
                if (int.TryParse(text, out int pid)) return pid;
            }
            throw new TimeoutException("the helper never started its child");
        }

        /// <summary>True once the process is gone (or a zombie); killing is asynchronous, so this waits up to <paramref name="within"/>.</summary>
        public static async Task<bool> GoneAsync(int pid, TimeSpan? within = null)
        {
            for (var watch = Stopwatch.StartNew(); watch.Elapsed < (within ?? HangGuard); await Task.Delay(50))
            {
                if (!Directory.Exists("/proc/" + pid) || File.ReadAllText("/proc/" + pid + "/stat").Contains(") Z ")) return true;
            }
            return false;
        }

        /// <summary>Ends the child a helper recorded, if it is still there (cleanup after a failed assertion or a child no one else ends).</summary>
        public static void KillChild(string helper)
        {
            try
            {
                if (int.TryParse(File.ReadAllText(helper + ".child").Trim(), out int pid)) Process.GetProcessById(pid).Kill();
            }
            catch (Exception e) when (e is IOException || e is ArgumentException || e is InvalidOperationException) { }
        }

        public static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
    }
}
