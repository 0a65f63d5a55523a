using System;
using System.Collections.Generic;

namespace DigestTools.Engine.Registry
{
    /// <summary>Settings for one RegistryClient (one per cmdlet invocation; one connection pool).</summary>
    public sealed class RegistryClientOptions
    {
        /// <summary>Registries (host[:port]) the user allows over plain http, besides loopback.</summary>
        public ICollection<string> InsecureRegistries { get; set; } = new List<string>();

        /// <summary>
        /// The deadline of one reference (-TimeoutSec): every request, retry, backoff and Retry-After wait of
        /// one resolution ends within it, and so does each single request. Zero or less: no deadline.
        /// </summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Explicit credential (from -Credential); wins over the Docker config. Null: look it up.</summary>
        public RegistryCredential Credential { get; set; }

        /// <summary>Verbose text: what was asked of whom. Never receives a secret.</summary>
        public Action<string> Log { get; set; }

        /// <summary>The secrets this call holds; every registry-provided text is redacted of them.</summary>
        internal Authentication.SecretRedactor Secrets { get; } = new Authentication.SecretRedactor();

        /// <summary><see cref="Log"/> behind the redactor: what every layer writes verbose text to.</summary>
        internal Action<string> RedactedLog => Log == null ? null : (Action<string>)(text => Log(Secrets.Redact(text)));

        /// <summary>Warnings for the user (e.g. few rate-limited requests left).</summary>
        public Action<string> Warn { get; set; }
    }
}
