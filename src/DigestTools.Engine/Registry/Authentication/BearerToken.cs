using System;

namespace DigestTools.Engine.Registry.Authentication
{
    /// <summary>A bearer token and when to stop using it. ToString never reveals the token.</summary>
    internal sealed class BearerToken
    {
        public BearerToken(string value, DateTimeOffset expiresAt, string scope)
        {
            Value = value;
            ExpiresAt = expiresAt;
            Scope = scope;
        }

        public string Value { get; }
        public DateTimeOffset ExpiresAt { get; }

        /// <summary>The scope it was asked for (null: none), to recognise a genuine insufficient_scope.</summary>
        public string Scope { get; }

        public bool IsValidAt(DateTimeOffset now) => now < ExpiresAt;

        public override string ToString() => "BearerToken(scope=" + Scope + ", expires " + ExpiresAt.ToString("u") + ")";
    }
}
