using System;
using System.Management.Automation;

namespace DigestTools
{
    /// <summary>
    /// The exception inside every ErrorRecord DigestTools writes. Public in DigestTools.dll (not in the
    /// isolated engine assembly), so scripts can write <c>catch [DigestTools.DigestToolsException]</c> and
    /// read <see cref="ErrorId"/>; the engine's own exception, when there is one, is the InnerException.
    /// </summary>
    public class DigestToolsException : Exception
    {
        public DigestToolsException(string errorId, ErrorCategory category, string message, Exception inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Category = category;
        }

        /// <summary>The stable id, as in about_DigestTools (also the start of FullyQualifiedErrorId).</summary>
        public string ErrorId { get; }

        public ErrorCategory Category { get; }
    }
}
