using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DigestTools.Engine.Registry;

namespace DigestTools
{
    /// <summary>Registry client settings from cmdlet parameters: credential, insecure registries (parameter and environment), timeout.</summary>
    internal static class RegistryOptions
    {
        internal const string InsecureRegistriesVariable = "DIGESTTOOLS_INSECURE_REGISTRIES";

        internal static RegistryClientOptions For(PSCredential credential, string[] insecureRegistries, int timeoutSec, PipelinePump pump, bool verbose)
            => new RegistryClientOptions
            {
                InsecureRegistries = Insecure(insecureRegistries),
                RequestTimeout = TimeSpan.FromSeconds(timeoutSec),
                Credential = credential == null || credential == PSCredential.Empty ? null
                    : new RegistryCredential(credential.UserName, credential.GetNetworkCredential().Password),
                Log = verbose ? pump.Verbose : (Action<string>)null,
                Warn = pump.Warning,
            };

        private static List<string> Insecure(string[] given)
        {
            var registries = new List<string>(given ?? new string[0]);
            string fromEnvironment = Environment.GetEnvironmentVariable(InsecureRegistriesVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
                registries.AddRange(fromEnvironment.Split(',').Select(r => r.Trim()).Where(r => r.Length > 0));
            return registries;
        }
    }
}
