using System;
using System.Reflection;

namespace DigestTools
{
    /// <summary>
    /// A private System.Runtime.Loader.AssemblyLoadContext, driven by reflection.
    /// The default context hands it the request for DigestTools.Engine; everything the engine then asks
    /// for is looked up first in the runtime (framework assemblies must stay shared), then in
    /// dependencies/ through this context's Resolving event. An older copy of, say,
    /// Microsoft.Extensions.Logging.Abstractions loaded by another module never satisfies our request.
    /// </summary>
    internal sealed class IsolatedLoadContext
    {
        private static readonly Type s_alcType = Type.GetType("System.Runtime.Loader.AssemblyLoadContext, System.Runtime.Loader", throwOnError: false)
            ?? Type.GetType("System.Runtime.Loader.AssemblyLoadContext", throwOnError: false);

        internal static bool IsSupported => s_alcType != null;

        private readonly string _folder;
        private readonly string _entryAssemblyName;
        private readonly object _context;
        private readonly EventInfo _resolving;
        private readonly MethodInfo _loadFromPath;
        private readonly object _defaultContext;
        private readonly Delegate _defaultHandler;
        private readonly Delegate _privateHandler;

        internal IsolatedLoadContext(string folder, string entryAssemblyName)
        {
            _folder = folder;
            _entryAssemblyName = entryAssemblyName;
            _context = Activator.CreateInstance(s_alcType, "DigestTools", false);
            _resolving = s_alcType.GetEvent("Resolving");
            _loadFromPath = s_alcType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) });
            _defaultContext = s_alcType.GetProperty("Default").GetValue(null);

            // Func<AssemblyLoadContext, AssemblyName, Assembly>: our methods take object for the first
            // parameter, which delegate contravariance accepts.
            _defaultHandler = Delegate.CreateDelegate(_resolving.EventHandlerType, this,
                typeof(IsolatedLoadContext).GetMethod(nameof(ResolveEntry), BindingFlags.NonPublic | BindingFlags.Instance));
            _privateHandler = Delegate.CreateDelegate(_resolving.EventHandlerType, this,
                typeof(IsolatedLoadContext).GetMethod(nameof(ResolveDependency), BindingFlags.NonPublic | BindingFlags.Instance));
            _resolving.AddEventHandler(_context, _privateHandler);
        }

        /// <summary>The assembly loaded into the private context, for tests and diagnostics.</summary>
        internal object Context => _context;

        internal void Attach() => _resolving.AddEventHandler(_defaultContext, _defaultHandler);

        internal void Detach() => _resolving.RemoveEventHandler(_defaultContext, _defaultHandler);

        // Default context: only the engine assembly is ours to answer; it goes into the private context.
        private Assembly ResolveEntry(object context, AssemblyName name)
        {
            if (!string.Equals(name.Name, _entryAssemblyName, StringComparison.Ordinal)) return null;
            string path = DependencyPaths.Find(_folder, name);
            return path == null ? null : (Assembly)_loadFromPath.Invoke(_context, new object[] { path });
        }

        // Private context: anything the runtime itself cannot supply comes from dependencies/.
        private Assembly ResolveDependency(object context, AssemblyName name)
        {
            string path = DependencyPaths.Find(_folder, name);
            return path == null ? null : (Assembly)_loadFromPath.Invoke(_context, new object[] { path });
        }
    }
}
