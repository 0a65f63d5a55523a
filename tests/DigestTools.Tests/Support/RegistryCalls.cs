using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DigestTools.Engine.Registry;
using DigestTools.Engine.Registry.Authentication;
using DigestTools.Engine.Registry.Resilience;

namespace DigestTools.Tests.Support
{
    /// <summary>
    /// An HttpClient composed exactly as the registry client composes it (RegistryHandlerChain over a
    /// transport without automatic redirects), plus the manifest request the registry client sends.
    /// Log and Warn text is captured for the secrets tests.
    /// </summary>
    public sealed class RegistryCalls : IDisposable
    {
        private readonly object _gate = new object();

        public RegistryCalls(RegistryCredential credential = null, ICredentialSource source = null, RetryPolicy policy = null, TimeSpan? timeout = null)
        {
            Options = new RegistryClientOptions
            {
                Credential = credential,
                RequestTimeout = timeout ?? TimeSpan.FromSeconds(20),
                Log = text => { lock (_gate) Captured.Add("LOG " + text); },
                Warn = text => { lock (_gate) { Captured.Add("WARN " + text); Warnings.Add(text); } },
            };
            Client = new HttpClient(RegistryHandlerChain.Create(Options, new HttpClientHandler { AllowAutoRedirect = false }, source,
                policy ?? new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(100) }))
            { Timeout = Timeout.InfiniteTimeSpan };
        }

        public RegistryClientOptions Options { get; }
        public HttpClient Client { get; }
        public List<string> Captured { get; } = new List<string>();
        public List<string> Warnings { get; } = new List<string>();

        public static readonly string[] ManifestTypes =
        {
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
        };

        public async Task<HttpResponseMessage> ManifestAsync(string authority, string repository, string reference, HttpMethod method = null,
            CancellationToken cancellationToken = default)
        {
            var request = new HttpRequestMessage(method ?? HttpMethod.Get, "http://" + authority + "/v2/" + repository + "/manifests/" + reference);
            foreach (var type in ManifestTypes) request.Headers.Accept.ParseAdd(type);
            return await Client.SendAsync(request, cancellationToken);
        }

        /// <summary>GET a manifest and return the sha256 of its bytes (what the registry client verifies).</summary>
        public async Task<string> ManifestDigestAsync(string authority, string repository, string reference)
        {
            using (var response = await ManifestAsync(authority, repository, reference))
            {
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException("HTTP " + (int)response.StatusCode);
                return AuthRegistriesFixture.Sha256(await response.Content.ReadAsByteArrayAsync());
            }
        }

        public void Capture(string text)
        {
            lock (_gate) Captured.Add(text);
        }

        public void Dispose() => Client.Dispose();
    }
}
