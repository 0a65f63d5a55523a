using System;
using System.IO;

namespace DigestTools.Tests.PinFiles
{
    /// <summary>A scratch folder for .env tests, removed on Dispose; Lock makes its .env unreadable.</summary>
    internal sealed class EnvFileFolder : IDisposable
    {
        internal EnvFileFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "digesttools-envfile-" + System.IO.Path.GetRandomFileName());
            Directory.CreateDirectory(Path);
        }

        internal string Path { get; }

        internal string EnvFile => File(".env");

        internal string File(string name) => System.IO.Path.Combine(Path, name);

        internal string Write(string name, string text)
        {
            string path = File(name);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path));
            System.IO.File.WriteAllText(path, text);
            return path;
        }

        /// <summary>
        /// Holds the .env open with no sharing: any other open fails with an IOException (a sharing violation on
        /// Windows, the advisory lock .NET takes on Unix), for root too, unlike a chmod.
        /// </summary>
        internal FileStream Lock() => new FileStream(EnvFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        public void Dispose() => Directory.Delete(Path, true);
    }
}
