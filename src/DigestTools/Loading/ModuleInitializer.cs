using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace DigestTools
{
    /// <summary>
    /// Loads DigestTools.Engine.dll and its third-party dependencies from dependencies/ without letting
    /// them meet other versions that the session already has (Az modules in runbooks, for instance).
    /// PowerShell 7: a private AssemblyLoadContext, reached by reflection because netstandard2.0 has no
    /// such type, fed from the copy compiled ahead of time for this runtime when there is one
    /// (<see cref="DependencyFolder"/>). Windows PowerShell 5.1: an AssemblyResolve handler that answers
    /// from the netstandard2.0 folder.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        internal const string EngineAssemblyName = "DigestTools.Engine";

        private static readonly string s_dependencyFolder = Path.Combine(
            Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location), DependencyPaths.FolderName);

        private static IsolatedLoadContext s_loadContext;

        public void OnImport()
        {
            if (IsolatedLoadContext.IsSupported)
            {
                string folder = DependencyFolder.Choose(s_dependencyFolder, Environment.Version.Major, DependencyFolder.CurrentPlatform());
                s_loadContext = s_loadContext ?? new IsolatedLoadContext(folder, EngineAssemblyName);
                s_loadContext.Attach();
            }
            else
            {
                AppDomain.CurrentDomain.AssemblyResolve += ResolveFromDependencyFolder;
            }
        }

        public void OnRemove(PSModuleInfo module)
        {
            if (s_loadContext != null) s_loadContext.Detach();
            else AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromDependencyFolder;
        }

        // Windows PowerShell 5.1: answer only for files we ship, and only with an adequate version.
        private static Assembly ResolveFromDependencyFolder(object sender, ResolveEventArgs args)
        {
            string path = DependencyPaths.Find(s_dependencyFolder, new AssemblyName(args.Name));
            return path == null ? null : Assembly.LoadFrom(path);
        }
    }
}
