namespace Cacheweave.Redis.Tests.Faults;

/// <summary>A log event the library wrote in a node process (Information and above).</summary>
public readonly record struct LogRecord(long At, int EventId, string Level, string Category, string Message);
