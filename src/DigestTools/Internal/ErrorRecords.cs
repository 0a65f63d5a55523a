using System;
using System.Management.Automation;
using DigestTools.Engine.Docker;
using DigestTools.Engine.Registry;

namespace DigestTools
{
    /// <summary>ErrorRecords from the engine assembly's exceptions, which carry the id and category as plain strings.</summary>
    internal static class ErrorRecords
    {
        internal static ErrorRecord From(EngineException e, object target) => new ErrorRecord(e, e.ErrorId, Category(e.Category), target);

        internal static ErrorRecord From(RegistryException e, object target) => new ErrorRecord(e, e.ErrorId, Category(e.Category), target);

        /// <summary>A DigestTools-made error with its own message (the cause, if any, kept as inner exception).</summary>
        internal static ErrorRecord New(string errorId, ErrorCategory category, string message, object target, Exception inner = null)
            => new ErrorRecord(new InvalidOperationException(message, inner), errorId, category, target);

        private static ErrorCategory Category(string name)
            => Enum.TryParse(name, ignoreCase: false, out ErrorCategory category) ? category : ErrorCategory.NotSpecified;
    }
}
