using System;
using System.Management.Automation;
using DigestTools.Engine.Errors;

namespace DigestTools
{
    /// <summary>
    /// Every ErrorRecord DigestTools writes is built here, from a catalog entry (<see cref="ErrorCatalog"/>),
    /// so an id always has its one category and the record's exception is the public DigestToolsException.
    /// </summary>
    internal static class ErrorRecords
    {
        internal static ErrorRecord From(FailureException e, object target) => For(e.Kind, e.Message, target, e);

        /// <summary>A record for a failure of any type: catalogued ones keep their id; cancellation and the rest get theirs.</summary>
        internal static ErrorRecord From(Exception e, ErrorKind otherwise, object target)
        {
            if (e is FailureException failure) return From(failure, target);
            if (e is OperationCanceledException) return For(ErrorCatalog.OperationCanceled, "The operation was cancelled.", target, e);
            return For(otherwise, e.Message, target, e);
        }

        internal static ErrorRecord For(ErrorKind kind, string message, object target, Exception inner = null)
        {
            ErrorCategory category = Category(kind.Category);
            return new ErrorRecord(new DigestToolsException(kind.Id, category, message, inner), kind.Id, category, target);
        }

        /// <summary>FailureCategory mirrors ErrorCategory value for value (checked by a unit test).</summary>
        internal static ErrorCategory Category(FailureCategory category) => (ErrorCategory)(int)category;
    }
}
