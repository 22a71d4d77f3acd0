using Microsoft.Extensions.Logging;

namespace Cacheweave.FaultNode;

/// <summary>One category's logger for <see cref="JournalLoggerProvider"/>.</summary>
public sealed class JournalLogger(Journal journal, string category) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            journal.Log(eventId.Id, logLevel.ToString(), category, formatter(state, exception));
        }
    }
}
