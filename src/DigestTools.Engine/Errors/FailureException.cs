using System;

namespace DigestTools.Engine.Errors
{
    /// <summary>
    /// The one exception the engine assembly throws on purpose: a catalogued <see cref="ErrorKind"/> and a
    /// message that says the cause. The cmdlet assembly turns it into a public DigestToolsException inside
    /// an ErrorRecord. Messages never carry credentials or tokens.
    /// </summary>
    public sealed class FailureException : Exception
    {
        public FailureException(ErrorKind kind, string message, Exception inner = null)
            : base(message, inner)
        {
            Kind = kind ?? throw new ArgumentNullException(nameof(kind));
        }

        public ErrorKind Kind { get; }

        /// <summary>Stable identifier users can match on, e.g. "EngineUnreachable".</summary>
        public string ErrorId => Kind.Id;

        public FailureCategory Category => Kind.Category;
    }
}
