using System;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace DigestTools.Engine.Registry.Authentication
{
    /// <summary>
    /// Marks one credential helper run in its environment, which every process it starts inherits. A child the helper
    /// leaves behind is re-parented once the helper exits, so Process.Kill(entireProcessTree) cannot reach it; the
    /// marker still can (Linux: /proc/&lt;pid&gt;/environ). Elsewhere there is nothing to scan and nothing is ended.
    /// </summary>
    internal sealed class HelperProcessMarker
    {
        internal const string Variable = "DIGESTTOOLS_CREDENTIAL_HELPER_RUN";

        private readonly string _value = Guid.NewGuid().ToString("n");

        public void Apply(ProcessStartInfo startInfo) => startInfo.Environment[Variable] = _value;

        /// <summary>Ends every process that still carries this run's marker; returns how many were ended.</summary>
        public int EndAll()
        {
            if (!Directory.Exists("/proc")) return 0;
            byte[] marker = Encoding.ASCII.GetBytes(Variable + "=" + _value + "\0");
            int self = Process.GetCurrentProcess().Id;
            int ended = 0;
            foreach (string folder in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(folder), out int pid) || pid == self) continue;
                try
                {
                    if (!Contains(ReadAll(Path.Combine(folder, "environ")), marker)) continue;
                    using (Process process = Process.GetProcessById(pid)) process.Kill();
                    ended++;
                }
                catch (Exception)
                {
                    // Gone meanwhile (IOException, ArgumentException, InvalidOperationException), someone else's process we
                    // may not read (UnauthorizedAccessException), or one we may not end (Win32Exception): not ours to end.
                    // Best effort for every process: the sweep runs while a failure is being reported and must not replace it.
                }
            }
            return ended;
        }

        // /proc files announce a length of 0: read to the end instead of trusting it.
        private static byte[] ReadAll(string path)
        {
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read))
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                return copy.ToArray();
            }
        }

        // environ is NUL-separated "NAME=value" entries: the marker matches at the start of one.
        private static bool Contains(byte[] environ, byte[] marker)
        {
            for (int start = 0; start + marker.Length <= environ.Length; start++)
            {
                if (start > 0 && environ[start - 1] != 0) continue;
                int i = 0;
                while (i < marker.Length && environ[start + i] == marker[i]) i++;
                if (i == marker.Length) return true;
            }
            return false;
        }
    }
}
