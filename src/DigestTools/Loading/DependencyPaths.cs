using System;
using System.IO;
using System.Reflection;

namespace DigestTools
{
    /// <summary>
    /// Decides which file in the module's dependencies/ folder satisfies an assembly request.
    /// Kept free of any load-context API so the Windows PowerShell 5.1 path can be unit tested here.
    /// </summary>
    internal static class DependencyPaths
    {
        internal const string FolderName = "dependencies";

        /// <summary>
        /// The path of the dependency that satisfies <paramref name="requested"/>, or null when the
        /// folder has no such assembly or only an older version than the one asked for.
        /// </summary>
        internal static string Find(string dependencyFolder, AssemblyName requested)
        {
            if (requested == null || string.IsNullOrEmpty(requested.Name)) return null;
            // A resource or satellite request, or a name that tries to climb out of the folder.
            if (requested.Name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || requested.Name.Contains("..")) return null;

            string candidate = Path.Combine(dependencyFolder, requested.Name + ".dll");
            if (!File.Exists(candidate)) return null;
            if (requested.Version == null) return candidate;

            Version available;
            try { available = AssemblyName.GetAssemblyName(candidate).Version; }
            catch (BadImageFormatException) { return null; }
            return available >= requested.Version ? candidate : null;
        }
    }
}
