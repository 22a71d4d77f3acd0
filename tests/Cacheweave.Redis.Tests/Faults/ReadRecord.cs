namespace Cacheweave.Redis.Tests.Faults;

/// <summary>One call of the cached proxy in a node: when it started and returned (UTC ticks) and the version it returned.</summary>
public readonly record struct ReadRecord(long Start, long End, string Key, long Version)
{
    public TimeSpan Duration => TimeSpan.FromTicks(End - Start);
}
