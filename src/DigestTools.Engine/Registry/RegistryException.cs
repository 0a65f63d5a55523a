using System;

namespace DigestTools.Engine.Registry
{
    /// <summary>
    /// A registry failure with a stable ErrorId (e.g. ManifestUnknown, DigestMismatch) and the name of a
    /// System.Management.Automation.ErrorCategory member, so the cmdlet layer can build an ErrorRecord
    /// without this assembly referencing PowerShell. Messages never carry credentials or tokens.
    /// </summary>
    public class RegistryException : Exception
    {
        public RegistryException(string errorId, string category, string message, Exception inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Category = category;
        }

        /// <summary>Stable identifier users can match on, e.g. "ManifestUnknown".</summary>
        public string ErrorId { get; }

        /// <summary>Name of an ErrorCategory member, e.g. "ObjectNotFound".</summary>
        public string Category { get; }
    }
}
