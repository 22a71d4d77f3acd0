using Microsoft.Extensions.Logging;

namespace Cacheweave.FaultNode;

/// <summary>Writes the library's log events at Information and above into the journal, with their event ids.</summary>
public sealed class JournalLoggerProvider(Journal journal) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new JournalLogger(journal, categoryName);

    public void Dispose()
    {
    }
}
