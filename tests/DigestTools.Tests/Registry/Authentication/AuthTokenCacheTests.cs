using System;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Errors;
using DigestTools.Engine.Registry.Authentication;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// The token cache's promises: one fetch per key at a time, a valid token reused, an expired or refused one
    /// replaced, a refusal of the credentials kept (no lock-out by retrying), any other failure fetched again.
    /// </summary>
    public sealed class AuthTokenCacheTests
    {
        private static readonly string Key = TokenCache.Key("https://auth/token", "registry", "repository:a:pull");

        private static BearerToken Token(string value, TimeSpan lifetime) => new BearerToken(value, DateTimeOffset.UtcNow + lifetime, "repository:a:pull");

        private sealed class Fetches
        {
            private int _count;
            public int Count => _count;
            public Func<Task<BearerToken>> Returning(Func<BearerToken> make) => () => { Interlocked.Increment(ref _count); return Task.FromResult(make()); };
            public Func<Task<BearerToken>> Failing(FailureException e) => () => { Interlocked.Increment(ref _count); return Task.FromException<BearerToken>(e); };
        }

        [Fact]
        public async Task ConcurrentRequestsForOneKeyShareOneFetch()
        {
            var cache = new TokenCache();
            var release = new TaskCompletionSource<BearerToken>(TaskCreationOptions.RunContinuationsAsynchronously);
            int fetches = 0;
            Func<Task<BearerToken>> fetch = () => { Interlocked.Increment(ref fetches); return release.Task; };
            Task<BearerToken> first = cache.GetAsync(Key, null, fetch);
            Task<BearerToken> second = cache.GetAsync(Key, null, fetch);
            Assert.Null(cache.TryGetValid(Key));   // still in flight: nothing to attach yet
            release.SetResult(Token("t1", TimeSpan.FromMinutes(5)));
            Assert.Same(await first, await second);
            Assert.Equal(1, fetches);
        }

        [Fact]
        public async Task AValidTokenIsReusedAndAttachable()
        {
            var cache = new TokenCache();
            var fetches = new Fetches();
            BearerToken first = await cache.GetAsync(Key, null, fetches.Returning(() => Token("t1", TimeSpan.FromMinutes(5))));
            BearerToken again = await cache.GetAsync(Key, null, fetches.Returning(() => Token("t2", TimeSpan.FromMinutes(5))));
            Assert.Same(first, again);
            Assert.Same(first, cache.TryGetValid(Key));
            Assert.Null(cache.TryGetValid(TokenCache.Key("https://auth/token", "registry", "repository:b:pull")));
            Assert.Equal(1, fetches.Count);
        }

        [Fact]
        public async Task AnExpiredTokenIsNeitherAttachedNorReused()
        {
            var cache = new TokenCache();
            var fetches = new Fetches();
            await cache.GetAsync(Key, null, fetches.Returning(() => Token("old", TimeSpan.FromSeconds(-1))));
            Assert.Null(cache.TryGetValid(Key));
            BearerToken fresh = await cache.GetAsync(Key, null, fetches.Returning(() => Token("new", TimeSpan.FromMinutes(5))));
            Assert.Equal("new", fresh.Value);
            Assert.Equal(2, fetches.Count);
        }

        [Fact]
        public async Task ATokenTheRegistryRefusedIsFetchedAgain()
        {
            var cache = new TokenCache();
            var fetches = new Fetches();
            BearerToken refused = await cache.GetAsync(Key, null, fetches.Returning(() => Token("t1", TimeSpan.FromMinutes(5))));
            BearerToken other = await cache.GetAsync(Key, refused, fetches.Returning(() => Token("t2", TimeSpan.FromMinutes(5))));
            Assert.Equal("t2", other.Value);
            // A token other than the refused one is still good.
            Assert.Same(other, await cache.GetAsync(Key, refused, fetches.Returning(() => Token("t3", TimeSpan.FromMinutes(5)))));
            Assert.Equal(2, fetches.Count);
        }

        [Fact]
        public async Task ARefusalOfTheCredentialsIsKeptForTheClientsLife()
        {
            var cache = new TokenCache();
            var fetches = new Fetches();
            var refusal = new FailureException(ErrorCatalog.RegistryAuthenticationFailed, "wrong password");
            await Assert.ThrowsAsync<FailureException>(() => cache.GetAsync(Key, null, fetches.Failing(refusal)));
            var again = await Assert.ThrowsAsync<FailureException>(() => cache.GetAsync(Key, null, fetches.Returning(() => Token("t", TimeSpan.FromMinutes(5)))));
            Assert.Same(refusal, again);
            Assert.Equal(1, fetches.Count);
        }

        [Fact]
        public async Task AnyOtherFailureIsNotKeptSoTheNextRequestFetchesAgain()
        {
            var cache = new TokenCache();
            var fetches = new Fetches();
            await Assert.ThrowsAsync<FailureException>(() => cache.GetAsync(Key, null,
                fetches.Failing(new FailureException(ErrorCatalog.RegistryUnreachable, "connection refused"))));
            BearerToken token = await cache.GetAsync(Key, null, fetches.Returning(() => Token("t", TimeSpan.FromMinutes(5))));
            Assert.Equal("t", token?.Value);
            Assert.Equal(2, fetches.Count);
        }

        [Fact]
        public void KeysKeepRealmServiceAndScopeApart()
        {
            Assert.NotEqual(TokenCache.Key("r", "ab", "c"), TokenCache.Key("r", "a", "bc"));
            Assert.NotEqual(TokenCache.Key("ra", "b", "c"), TokenCache.Key("r", "ab", "c"));
        }

        [Fact]
        public void ATokenIsValidOnlyBeforeItsExpiryAndItsTextHidesTheValue()
        {
            var at = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var token = new BearerToken("s3cr3t-token", at, "repository:a:pull");
            Assert.True(token.IsValidAt(at.AddTicks(-1)));
            Assert.False(token.IsValidAt(at));
            Assert.Equal("BearerToken(scope=repository:a:pull, expires 2030-01-01 00:00:00Z)", token.ToString());
        }
    }
}
