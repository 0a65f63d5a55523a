using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Registry.Authentication
{
    /// <summary>
    /// Tokens per realm+service+scope, with single flight: concurrent requests needing the same token share
    /// one token request, and a failed fetch is shared by everyone waiting on it (no retry storm). A refusal
    /// of the credentials is kept for the client's life (a wrong password does not become right during one
    /// call, and asking again could lock the account); any other failure is replaced by a new fetch on the next request.
    /// </summary>
    internal sealed class TokenCache
    {
        private readonly object _gate = new object();
        private readonly Dictionary<string, Task<BearerToken>> _entries = new Dictionary<string, Task<BearerToken>>(StringComparer.Ordinal);

        public static string Key(string realm, string service, string scope) => realm + "\n" + service + "\n" + scope;

        /// <summary>A valid cached token for the key, or null; never starts a fetch.</summary>
        public BearerToken TryGetValid(string key)
        {
            lock (_gate)
            {
                if (_entries.TryGetValue(key, out var task) && task.Status == TaskStatus.RanToCompletion
                    && task.Result.IsValidAt(DateTimeOffset.UtcNow))
                {
                    return task.Result;
                }
                return null;
            }
        }

        /// <summary>
        /// A valid token for the key: the cached one unless it is expired or is <paramref name="rejected"/>
        /// (a token the registry just refused), an in-flight fetch if one runs, else a new fetch.
        /// </summary>
        public Task<BearerToken> GetAsync(string key, BearerToken rejected, Func<Task<BearerToken>> fetch)
        {
            lock (_gate)
            {
                if (_entries.TryGetValue(key, out var existing))
                {
                    if (!existing.IsCompleted) return existing;
                    if (existing.IsFaulted && IsRefusal(existing.Exception)) return existing;
                    if (existing.Status == TaskStatus.RanToCompletion
                        && !ReferenceEquals(existing.Result, rejected)
                        && existing.Result.IsValidAt(DateTimeOffset.UtcNow))
                    {
                        return existing;
                    }
                }
                // Nothing usable (none yet, expired, the one just refused, or a failure other than a refusal): fetch.
                var started = Task.Run(fetch);
                _entries[key] = started;
                return started;
            }
        }

        private static bool IsRefusal(AggregateException failure)
            => failure?.InnerException is FailureException e && e.Kind == ErrorCatalog.RegistryAuthenticationFailed;
    }
}
