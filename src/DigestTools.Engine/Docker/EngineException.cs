using System;

namespace DigestTools.Engine.Docker
{
    /// <summary>
    /// An engine failure with a stable ErrorId (EngineUnreachable, PullFailed, ManifestUnknown, ...) and the
    /// name of a System.Management.Automation.ErrorCategory member, so the cmdlet layer builds the
    /// ErrorRecord without this assembly referencing PowerShell. Messages never carry credentials.
    /// </summary>
    public sealed class EngineException : Exception
    {
        public EngineException(string errorId, string category, string message, Exception inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Category = category;
        }

        /// <summary>Stable identifier users can match on, e.g. "EngineUnreachable".</summary>
        public string ErrorId { get; }

        /// <summary>Name of an ErrorCategory member, e.g. "ConnectionError".</summary>
        public string Category { get; }
    }
}
