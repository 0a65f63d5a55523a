using System;
using System.IO;
using System.Runtime.InteropServices;

namespace DigestTools
{
    /// <summary>
    /// Chooses which copy of the engine's assemblies PowerShell 7 loads. dependencies/ holds the
    /// netstandard2.0 build that every PowerShell can run. dependencies/net&lt;major&gt;.0-&lt;platform&gt;/ holds the
    /// same assemblies compiled ahead of time (ReadyToRun) for one .NET major version and one platform: the
    /// first call of a session then runs precompiled code instead of waiting for the JIT.
    /// </summary>
    internal static class DependencyFolder
    {
        /// <summary>
        /// The precompiled folder for this runtime and platform when the module ships one, else
        /// <paramref name="dependencyFolder"/> itself. Only an exact major version matches: the runtime
        /// refuses ReadyToRun code made for another major version (measured: .NET 10 JIT-compiles every
        /// method of a net8.0 image), so a near match would only cost disk space.
        /// </summary>
        internal static string Choose(string dependencyFolder, int runtimeMajorVersion, string platform)
        {
            if (string.IsNullOrEmpty(platform)) return dependencyFolder;
            string candidate = Path.Combine(dependencyFolder, $"net{runtimeMajorVersion}.0-{platform}");
            // A folder without the engine assembly is not a complete copy: never load half of one.
            bool complete = File.Exists(Path.Combine(candidate, ModuleInitializer.EngineAssemblyName + ".dll"));
            return complete ? candidate : dependencyFolder;
        }

        /// <summary>The running platform as a .NET runtime identifier ("linux-x64", "win-x64", "osx-arm64"), or null.</summary>
        internal static string CurrentPlatform()
        {
            string os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
                : RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "linux"
                : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx"
                : null;
            string architecture;
            switch (RuntimeInformation.ProcessArchitecture)
            {
                case Architecture.X64: architecture = "x64"; break;
                case Architecture.Arm64: architecture = "arm64"; break;
                default: architecture = null; break;
            }
            return os == null || architecture == null ? null : os + "-" + architecture;
        }
    }
}
