using System;

namespace DigestTools.Engine.Docker
{
    /// <summary>Where the engine is and how to reach it, with where that choice came from (for messages).</summary>
    public sealed class EngineEndpoint
    {
        public EngineEndpoint(Uri address, string source, bool tlsVerify = false, string certificatePath = null)
        {
            Address = address ?? throw new ArgumentNullException(nameof(address));
            Source = source;
            TlsVerify = tlsVerify;
            CertificatePath = certificatePath;
        }

        /// <summary>unix:///path, npipe://./pipe/name, tcp://host:port (or http/https).</summary>
        public Uri Address { get; }

        /// <summary>"-EngineUri", "DOCKER_HOST", "DOCKER_CONTEXT=name", "default".</summary>
        public string Source { get; }

        /// <summary>DOCKER_TLS_VERIFY: check the daemon's certificate against ca.pem in CertificatePath.</summary>
        public bool TlsVerify { get; }

        /// <summary>DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem); null when TLS is not configured.</summary>
        public string CertificatePath { get; }

        /// <summary>True when the connection speaks TLS (tcp with a certificate folder, or https).</summary>
        public bool UsesTls => CertificatePath != null || string.Equals(Address.Scheme, "https", StringComparison.OrdinalIgnoreCase);

        public override string ToString() => Address.OriginalString;
    }
}
