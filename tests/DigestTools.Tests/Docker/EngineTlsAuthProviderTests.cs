using System;
using System.IO;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Errors;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// TLS to a tcp:// engine as DOCKER_CERT_PATH lays it out: the client certificate offered, the daemon's
    /// certificate checked against ca.pem only with DOCKER_TLS_VERIFY, and a clear error for a folder that cannot
    /// work. Certificates are made here, in memory, by a throwaway CA.
    /// </summary>
    public sealed class EngineTlsAuthProviderTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "dt-tls-xunit-" + Guid.NewGuid().ToString("n"));
        private readonly X509Certificate2 _authority = SelfSignedAuthority("CN=dt-test-ca");

        public EngineTlsAuthProviderTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        private static X509Certificate2 SelfSignedAuthority(string subject)
        {
            using (RSA key = RSA.Create(2048))
            {
                var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
                return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            }
        }

        private static X509Certificate2 IssuedBy(X509Certificate2 authority, string subject)
            => IssuedBy(authority, subject, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12));

        private static X509Certificate2 IssuedBy(X509Certificate2 authority, string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
        {
            using (RSA key = RSA.Create(2048))
            {
                var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                byte[] serial = Guid.NewGuid().ToByteArray();
                return request.Create(authority, notBefore, notAfter, serial).CopyWithPrivateKey(key);
            }
        }

        private void WritePem(string name, string label, byte[] der)
            => File.WriteAllText(Path.Combine(_folder, name), PemEncoding.WriteString(label, der));

        private void WriteAuthority() => WritePem("ca.pem", "CERTIFICATE", _authority.Export(X509ContentType.Cert));

        private EngineTlsAuthProvider Provider(bool verify)
            => new EngineTlsAuthProvider(new EngineEndpoint(new Uri("tcp://127.0.0.1:2376"), "DOCKER_HOST", verify, _folder));

        private static Func<HttpRequestMessage, X509Certificate2, X509Chain, SslPolicyErrors, bool> Callback(EngineTlsAuthProvider provider, HttpClientHandler handler)
        {
            Assert.Same(handler, provider.ConfigureHandler(handler));
            return handler.ServerCertificateCustomValidationCallback;
        }

        [Fact]
        public void VerifyWithoutCaPemIsRefusedWithThePathNamed()
        {
            FailureException e = Assert.Throws<FailureException>(() => Provider(verify: true));
            Assert.Equal(ErrorCatalog.EngineTlsConfigurationInvalid, e.Kind);
            Assert.Equal($"DOCKER_TLS_VERIFY is set but {Path.Combine(_folder, "ca.pem")} does not exist: the engine's certificate cannot be checked.", e.Message);
        }

        [Fact]
        public void WithoutVerifyAnyDaemonCertificateIsAcceptedAndNoClientCertificateOffered()
        {
            EngineTlsAuthProvider provider = Provider(verify: false);
            Assert.True(provider.TlsEnabled);
            using (var handler = new HttpClientHandler())
            {
                var validate = Callback(provider, handler);
                Assert.Empty(handler.ClientCertificates);
                Assert.True(validate(null, SelfSignedAuthority("CN=anyone"), null, SslPolicyErrors.RemoteCertificateChainErrors));
                Assert.True(validate(null, null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
            }
        }

        [Fact]
        public void WithVerifyOnlyACertificateChainingToCaPemWithTheRightNameIsAccepted()
        {
            WriteAuthority();
            EngineTlsAuthProvider provider = Provider(verify: true);
            using (var handler = new HttpClientHandler())
            {
                var validate = Callback(provider, handler);
                X509Certificate2 daemon = IssuedBy(_authority, "CN=127.0.0.1");
                Assert.True(validate(null, daemon, null, SslPolicyErrors.RemoteCertificateChainErrors));
                Assert.False(validate(null, daemon, null, SslPolicyErrors.RemoteCertificateNameMismatch));
                Assert.False(validate(null, null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
                Assert.False(validate(null, IssuedBy(SelfSignedAuthority("CN=other-ca"), "CN=127.0.0.1"), null, SslPolicyErrors.RemoteCertificateChainErrors));
                Assert.False(validate(null, SelfSignedAuthority("CN=127.0.0.1"), null, SslPolicyErrors.RemoteCertificateChainErrors));
            }
        }

        [Fact]
        public void WithVerifyAnExpiredDaemonCertificateFromTheRightAuthorityIsRefused()
        {
            WriteAuthority();
            using (var handler = new HttpClientHandler())
            {
                var validate = Callback(Provider(verify: true), handler);
                X509Certificate2 expired = IssuedBy(_authority, "CN=127.0.0.1", DateTimeOffset.UtcNow.AddHours(-20), DateTimeOffset.UtcNow.AddHours(-2));
                Assert.False(validate(null, expired, null, SslPolicyErrors.RemoteCertificateChainErrors));
            }
        }

        [Fact]
        public void UnderThePingHeaderReaderTheTransportStillGetsTheTlsSettings()
        {
            // The engine client's auth provider is the ping-header reader wrapping this one: TLS must reach the handler.
            WriteAuthority();
            using (var handler = new HttpClientHandler())
            {
                var reader = new EnginePingHeaders(Provider(verify: true));
                Assert.True(reader.TlsEnabled);
                using (HttpMessageHandler wrapped = reader.ConfigureHandler(handler))
                {
                    Assert.Same(handler, Assert.IsAssignableFrom<DelegatingHandler>(wrapped).InnerHandler);
                    Assert.False(handler.ServerCertificateCustomValidationCallback(null, SelfSignedAuthority("CN=127.0.0.1"), null, SslPolicyErrors.RemoteCertificateChainErrors));
                }
            }
        }

        [Fact]
        public void CertAndKeyPemAreOfferedAsTheClientCertificate()
        {
            X509Certificate2 client = IssuedBy(_authority, "CN=dt-client");
            WritePem("cert.pem", "CERTIFICATE", client.Export(X509ContentType.Cert));
            WritePem("key.pem", "PRIVATE KEY", client.GetRSAPrivateKey().ExportPkcs8PrivateKey());
            using (var handler = new HttpClientHandler())
            {
                Provider(verify: false).ConfigureHandler(handler);
                X509Certificate2 offered = Assert.IsType<X509Certificate2>(Assert.Single(handler.ClientCertificates));
                Assert.Equal(client.Thumbprint, offered.Thumbprint);
                Assert.True(offered.HasPrivateKey);
            }
        }

        [Fact]
        public void ACertWithoutItsKeyIsNotOffered()
        {
            WritePem("cert.pem", "CERTIFICATE", IssuedBy(_authority, "CN=dt-client").Export(X509ContentType.Cert));
            using (var handler = new HttpClientHandler())
            {
                Provider(verify: false).ConfigureHandler(handler);
                Assert.Empty(handler.ClientCertificates);
            }
        }

        [Fact]
        public void AnUnreadableClientCertificateIsRefusedWithBothPathsNamed()
        {
            File.WriteAllText(Path.Combine(_folder, "cert.pem"), "not a certificate");
            File.WriteAllText(Path.Combine(_folder, "key.pem"), "not a key");
            FailureException e = Assert.Throws<FailureException>(() => Provider(verify: false));
            Assert.Equal(ErrorCatalog.EngineTlsConfigurationInvalid, e.Kind);
            Assert.StartsWith($"The client certificate {Path.Combine(_folder, "cert.pem")} with key {Path.Combine(_folder, "key.pem")} could not be read: ", e.Message);
        }

        [Fact]
        public void ARuntimeWithoutAPemReaderRefusesPemFilesNamingPowerShell7()
        {
            // Windows PowerShell 5.1's .NET Framework has no X509Certificate2.CreateFromPemFile: the reader is null there.
            X509Certificate2 client = IssuedBy(_authority, "CN=dt-client");
            WritePem("cert.pem", "CERTIFICATE", client.Export(X509ContentType.Cert));
            WritePem("key.pem", "PRIVATE KEY", client.GetRSAPrivateKey().ExportPkcs8PrivateKey());
            FailureException e = Assert.Throws<FailureException>(() => EngineTlsAuthProvider.LoadPem(Path.Combine(_folder, "cert.pem"), Path.Combine(_folder, "key.pem"), null));
            Assert.Equal(ErrorCatalog.EngineTlsConfigurationInvalid, e.Kind);
            Assert.Equal("Client certificates in PEM files (DOCKER_CERT_PATH) need PowerShell 7; Windows PowerShell 5.1 cannot read them.", e.Message);
        }

        /// <summary>The shape of Docker.DotNet's legacy ManagedHandler: the two settings exist only by name.</summary>
        private sealed class NamedPropertiesHandler : HttpMessageHandler
        {
            public X509CertificateCollection ClientCertificates { get; } = new X509CertificateCollection();
            public RemoteCertificateValidationCallback ServerCertificateValidationCallback { get; set; }

            protected override System.Threading.Tasks.Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, System.Threading.CancellationToken cancellationToken)
                => throw new NotSupportedException();
        }

        [Fact]
        public void AnotherHandlerKindGetsTheSameSettingsByName()
        {
            WriteAuthority();
            X509Certificate2 client = IssuedBy(_authority, "CN=dt-client");
            WritePem("cert.pem", "CERTIFICATE", client.Export(X509ContentType.Cert));
            WritePem("key.pem", "PRIVATE KEY", client.GetRSAPrivateKey().ExportPkcs8PrivateKey());
            var handler = new NamedPropertiesHandler();
            Assert.Same(handler, Provider(verify: true).ConfigureHandler(handler));
            Assert.Equal(client.Thumbprint, ((X509Certificate2)Assert.Single(handler.ClientCertificates)).Thumbprint);
            Assert.True(handler.ServerCertificateValidationCallback(this, IssuedBy(_authority, "CN=127.0.0.1"), null, SslPolicyErrors.None));
            Assert.False(handler.ServerCertificateValidationCallback(this, SelfSignedAuthority("CN=127.0.0.1"), null, SslPolicyErrors.None));
        }
    
        private sealed class BareHandler : HttpMessageHandler
        {
            protected override System.Threading.Tasks.Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, System.Threading.CancellationToken cancellationToken)
                => throw new NotSupportedException();
        }

        [Fact]
        public void AHandlerWithNeitherSettingIsReturnedAsItIs()
        {
            var handler = new BareHandler();
            Assert.Same(handler, Provider(verify: false).ConfigureHandler(handler));
        }
    }
}
