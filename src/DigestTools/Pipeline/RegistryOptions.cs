using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Workflow;

namespace DigestTools
{
    /// <summary>The registry client's options from the parameters every registry-facing cmdlet takes.</summary>
    internal static class RegistryOptions
    {
        internal const string InsecureRegistriesVariable = "DIGESTTOOLS_INSECURE_REGISTRIES";

        internal static RegistryClientOptions From(PSCredential credential, string[] insecureRegistry, int timeoutSec, IWorkflowLog log)
            => new RegistryClientOptions
            {
                InsecureRegistries = InsecureRegistries(insecureRegistry),
                RequestTimeout = TimeSpan.FromSeconds(timeoutSec),
                Credential = CredentialConversion.ToRegistryCredential(credential),
                // Formatting and queueing every request's text costs time on 200 references: only when it is shown.
                Log = log.VerboseEnabled ? log.Verbose : (Action<string>)null,
                Warn = log.Warning,
            };

        /// <summary>-InsecureRegistry plus $env:DIGESTTOOLS_INSECURE_REGISTRIES (comma-separated).</summary>
        internal static List<string> InsecureRegistries(string[] insecureRegistry)
        {
            var registries = new List<string>(insecureRegistry ?? new string[0]);
            string fromEnvironment = Environment.GetEnvironmentVariable(InsecureRegistriesVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
                registries.AddRange(fromEnvironment.Split(',').Select(r => r.Trim()).Where(r => r.Length > 0));
            return registries;
        }
    }
}
