using System;
using System.Reflection;

namespace DigestTools
{
    /// <summary>
    /// A private System.Runtime.Loader.AssemblyLoadContext, driven by reflection.
    /// The default context hands it the request for DigestTools.Engine. What isolation means here, exactly:
    /// this context does not override Load, so for everything the engine then asks for the runtime first
    /// asks the default context, and only when that fails does this context's Resolving event load the copy
    /// in dependencies/. The default context answers with the framework's own assemblies and with any
    /// assembly already loaded into it whose version is the same as or newer than the one requested, so a
    /// same-or-newer copy that another module put into the session is shared with it (the runtime's binding
    /// rule; we rely on those libraries keeping their APIs in later versions). An older copy, say
    /// Microsoft.Extensions.Logging.Abstractions 2.1 loaded by another module, never satisfies our 8.0
    /// request: the default context fails, and ours loads beside it. Both cases are tested
    /// (tests/DependencyIsolation.Tests.ps1).
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

        // Private context: reached only after the default context failed (absent there, or older there).
        private Assembly ResolveDependency(object context, AssemblyName name)
        {
            string path = DependencyPaths.Find(_folder, name);
            return path == null ? null : (Assembly)_loadFromPath.Invoke(_context, new object[] { path });
        }
    }
}
