using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Registry.Authentication
{
    /// <summary>
    /// Every secret one call holds (passwords, their Basic form, identity tokens, bearer tokens), so text
    /// a registry wrote can be quoted without them: a registry may echo the request's Authorization header
    /// in an error body or reason phrase. One per RegistryClientOptions, filled as secrets are looked up.
    /// </summary>
    public sealed class SecretRedactor
    {
        /// <summary>What a secret is replaced by.</summary>
        public const string Mask = "[redacted]";

        private readonly object _gate = new object();
        private string[] _secrets = new string[0];

        public void Add(string secret)
        {
            if (string.IsNullOrEmpty(secret)) return;
            lock (_gate)
            {
                if (_secrets.Contains(secret, StringComparer.Ordinal)) return;
                // Longest first, so a secret that contains another is masked whole.
                _secrets = _secrets.Concat(new[] { secret }).OrderByDescending(s => s.Length).ToArray();
            }
        }

        /// <summary>The password, the identity token, the base64 user:password of the Basic header, and their URL-encoded forms.</summary>
        public void Add(RegistryCredential credential)
        {
            if (credential == null) return;
            foreach (string secret in new[] { credential.Password, credential.IdentityToken })
            {
                Add(secret);
                if (!string.IsNullOrEmpty(secret)) Add(Uri.EscapeDataString(secret));
            }
            if (credential.Username != null && credential.Password != null)
            {
                Add(Convert.ToBase64String(Encoding.UTF8.GetBytes(credential.Username + ":" + credential.Password)));
            }
        }

        /// <summary>True when <paramref name="text"/> contains a secret of this call.</summary>
        public bool Reveals(string text)
        {
            if (string.IsNullOrEmpty(text)) return false;
            string[] secrets = _secrets;
            return secrets.Any(s => text.IndexOf(s, StringComparison.Ordinal) >= 0);
        }

        /// <summary><paramref name="text"/> with every secret of this call replaced by <see cref="Mask"/>.</summary>
        public string Redact(string text)
        {
            if (!Reveals(text)) return text;
            var result = new StringBuilder(text);
            foreach (string secret in _secrets) result.Replace(secret, Mask);
            return result.ToString();
        }

        /// <summary>
        /// The exception with its message redacted: the same one when it reveals nothing, else a new one
        /// without the inner exception (whose text came from the same place).
        /// </summary>
        public FailureException Redact(FailureException e)
            => Reveals(e.Message) ? new FailureException(e.Kind, Redact(e.Message)) : e;
    }
}
