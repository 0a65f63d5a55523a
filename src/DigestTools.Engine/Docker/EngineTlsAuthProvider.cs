using System;
using System.IO;
using System.Net.Http;
using System.Net.Security;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using Docker.DotNet.Handler.Abstractions;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Docker
{
    /// <summary>
    /// TLS for tcp:// engines, as DOCKER_CERT_PATH lays it out: ca.pem (daemon's CA, checked when
    /// DOCKER_TLS_VERIFY is set), cert.pem + key.pem (our client certificate). Works on whichever HTTP
    /// handler the transport uses by setting the properties both handler kinds share by name.
    /// </summary>
    internal sealed class EngineTlsAuthProvider : IAuthProvider
    {
        private readonly X509Certificate2 _client;
        private readonly X509Certificate2 _authority;
        private readonly bool _verify;

        internal EngineTlsAuthProvider(EngineEndpoint endpoint)
        {
            _verify = endpoint.TlsVerify;
            string folder = endpoint.CertificatePath;
            if (folder != null)
            {
                string cert = Path.Combine(folder, "cert.pem"), key = Path.Combine(folder, "key.pem"), ca = Path.Combine(folder, "ca.pem");
                if (File.Exists(cert) && File.Exists(key)) _client = LoadPem(cert, key, PemReader);
                if (File.Exists(ca)) _authority = new X509Certificate2(ca);
                else if (_verify)
                    throw new FailureException(ErrorCatalog.EngineTlsConfigurationInvalid, $"DOCKER_TLS_VERIFY is set but {ca} does not exist: the engine's certificate cannot be checked.");
            }
        }

        public bool TlsEnabled => true;

        public HttpMessageHandler ConfigureHandler(HttpMessageHandler handler)
        {
            if (handler is HttpClientHandler h)
            {
                if (_client != null) h.ClientCertificates.Add(_client);
                h.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => Validate(certificate, errors);
                return handler;
            }
            // ManagedHandler (legacy transport): the same two settings, reached by name.
            Type type = handler.GetType();
            object collection = type.GetProperty("ClientCertificates")?.GetValue(handler);
            if (_client != null && collection is X509CertificateCollection certificates) certificates.Add(_client);
            PropertyInfo callback = type.GetProperty("ServerCertificateValidationCallback");
            if (callback != null && callback.PropertyType == typeof(RemoteCertificateValidationCallback))
            {
                callback.SetValue(handler, new RemoteCertificateValidationCallback((s, c, ch, e) => Validate(c, e)));
            }
            return handler;
        }

        // With DOCKER_TLS_VERIFY the daemon's certificate must chain to ca.pem; without it, like the CLI, any certificate.
        private bool Validate(X509Certificate certificate, SslPolicyErrors errors)
        {
            if (!_verify) return true;
            if (certificate == null || _authority == null) return false;
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
            using (var chain = new X509Chain())
            {
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
                chain.ChainPolicy.ExtraStore.Add(_authority);
                if (!chain.Build(new X509Certificate2(certificate))) return false;
                X509Certificate2 root = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
                return string.Equals(root.Thumbprint, _authority.Thumbprint, StringComparison.OrdinalIgnoreCase);
            }
        }

        // netstandard2.0 has no PEM reader; the runtimes PowerShell 7 uses do (X509Certificate2.CreateFromPemFile).
        // Null on .NET Framework (Windows PowerShell 5.1).
        private static readonly MethodInfo PemReader = typeof(X509Certificate2).GetMethod("CreateFromPemFile", new[] { typeof(string), typeof(string) });

        // The reader is a parameter so that the refusal Windows PowerShell 5.1 users see can be tested on any runtime.
        internal static X509Certificate2 LoadPem(string certificatePath, string keyPath, MethodInfo create)
        {
            if (create == null)
                throw new FailureException(ErrorCatalog.EngineTlsConfigurationInvalid, "Client certificates in PEM files (DOCKER_CERT_PATH) need PowerShell 7; Windows PowerShell 5.1 cannot read them.");
            try { return (X509Certificate2)create.Invoke(null, new object[] { certificatePath, keyPath }); }
            catch (TargetInvocationException e)
            {
                throw new FailureException(ErrorCatalog.EngineTlsConfigurationInvalid, $"The client certificate {certificatePath} with key {keyPath} could not be read: {e.InnerException?.Message}", e.InnerException);
            }
        }
    }
}
