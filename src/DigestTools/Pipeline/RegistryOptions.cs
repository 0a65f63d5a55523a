using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Workflow;

namespace DigestTools
{
    /// <summary>Registry client settings from the registry cmdlets' parameters: credential, insecure registries (parameter and environment), timeout, log.</summary>
    internal static class RegistryOptions
    {
        internal const string InsecureRegistriesVariable = "DIGESTTOOLS_INSECURE_REGISTRIES";

        internal static RegistryClientOptions For(PSCredential credential, string[] insecureRegistries, int timeoutSec, IWorkflowLog log)
            => new RegistryClientOptions
            {
                InsecureRegistries = InsecureRegistriesWith(insecureRegistries),
                RequestTimeout = TimeSpan.FromSeconds(timeoutSec),
                Credential = CredentialConversion.ToRegistryCredential(credential),
                // Formatting and queueing every request's text costs time on 200 references: only when it is shown.
                Log = log.VerboseEnabled ? log.Verbose : (Action<string>)null,
                Warn = log.Warning,
            };

        /// <summary>The given registries plus those of $env:DIGESTTOOLS_INSECURE_REGISTRIES.</summary>
        internal static List<string> InsecureRegistriesWith(string[] given)
        {
            var registries = new List<string>(given ?? new string[0]);
            string fromEnvironment = Environment.GetEnvironmentVariable(InsecureRegistriesVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
                registries.AddRange(fromEnvironment.Split(',').Select(r => r.Trim()).Where(r => r.Length > 0));
            return registries;
        }
    }
}
