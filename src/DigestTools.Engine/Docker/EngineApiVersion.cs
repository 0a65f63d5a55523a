using System;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Docker
{
    /// <summary>
    /// API version negotiation: the highest version both sides speak. Newer daemons refuse unversioned or
    /// too-new requests, and Docker 20.10 (like Podman 4's compat API) speaks at most 1.41.
    /// </summary>
    public static class EngineApiVersion
    {
        /// <summary>The newest API whose models this code was written and tested against.</summary>
        public static readonly Version ClientMaximum = new Version(1, 45);

        /// <summary>Below this the daemon lacks what the cmdlets use (platform-aware pull, image Descriptor-free inspect).</summary>
        public static readonly Version Minimum = new Version(1, 40);

        /// <summary>Container create accepts a platform from this version on.</summary>
        public static readonly Version CreatePlatform = new Version(1, 41);

        /// <summary>min(daemon, client); throws EngineApiTooOld when that is below <see cref="Minimum"/>.</summary>
        public static Version Negotiate(string daemonVersion, string daemonMinimum, string address)
        {
            if (!TryParse(daemonVersion, out Version daemon))
                throw new FailureException(ErrorCatalog.EngineApiVersionUnknown, $"The engine at {address} did not report a usable API version ('{daemonVersion}').");
            Version chosen = daemon < ClientMaximum ? daemon : ClientMaximum;
            if (TryParse(daemonMinimum, out Version floor) && floor > chosen)
                throw new FailureException(ErrorCatalog.EngineApiTooNew, $"The engine at {address} requires API {floor} or newer; DigestTools speaks up to {ClientMaximum}.");
            if (chosen < Minimum)
                throw new FailureException(ErrorCatalog.EngineApiTooOld, $"The engine at {address} speaks API {daemon}; DigestTools needs {Minimum} or newer (Docker 19.03+, Podman 3+).");
            return chosen;
        }

        private static bool TryParse(string text, out Version version)
        {
            version = null;
            return !string.IsNullOrWhiteSpace(text) && Version.TryParse(text.Trim(), out version) && version.Major >= 1;
        }
    }
}
