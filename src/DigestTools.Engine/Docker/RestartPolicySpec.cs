using System.Collections.Generic;
using System.Linq;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Docker
{
    /// <summary>--restart: no | always | unless-stopped | on-failure[:max-retries].</summary>
    public sealed class RestartPolicySpec
    {
        /// <summary>The policy names the engine accepts; on-failure may carry ":max-retries".</summary>
        public static readonly IReadOnlyList<string> Names = new[] { "no", "always", "unless-stopped", "on-failure" };

        /// <summary>"no", "always", "unless-stopped", "on-failure".</summary>
        public string Name { get; private set; }
        public long MaximumRetryCount { get; private set; }

        /// <exception cref="FailureException">InvalidRestartPolicy.</exception>
        public static RestartPolicySpec Parse(string text)
        {
            string value = (text ?? string.Empty).Trim().ToLowerInvariant();
            string name = value;
            long retries = 0;
            int colon = value.IndexOf(':');
            if (colon >= 0)
            {
                name = value.Substring(0, colon);
                if (name != "on-failure" || !long.TryParse(value.Substring(colon + 1), out retries) || retries < 0)
                    throw Invalid(text);
            }
            if (!Names.Contains(name)) throw Invalid(text);
            return new RestartPolicySpec { Name = name, MaximumRetryCount = retries };
        }

        private static FailureException Invalid(string text)
            => new FailureException(ErrorCatalog.InvalidRestartPolicy, $"The restart policy '{text}' is invalid: use no, always, unless-stopped or on-failure[:max-retries].");
    }
}
