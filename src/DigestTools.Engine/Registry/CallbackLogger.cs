using System;
using Microsoft.Extensions.Logging;

namespace DigestTools.Engine.Registry
{
    /// <summary>
    /// The engine logs through Microsoft.Extensions.Logging's ILogger (the abstraction Docker.DotNet also
    /// speaks); this adapter hands the formatted text to the cmdlet's verbose callback. Callers never log
    /// headers, credentials or tokens.
    /// </summary>
    internal sealed class CallbackLogger : ILogger
    {
        private readonly Action<string> _write;

        internal CallbackLogger(Action<string> write) => _write = write;

        public IDisposable BeginScope<TState>(TState state) => null;

        public bool IsEnabled(LogLevel logLevel) => _write != null && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception exception, Func<TState, Exception, string> formatter)
        {
            if (!IsEnabled(logLevel) || formatter == null) return;
            _write(formatter(state, exception));
        }
    }
}
