namespace Cacheweave.Examples.Quickstart;

/// <summary>Counts how often the real service actually runs.</summary>
public sealed class ExecutionLog
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Record() => Interlocked.Increment(ref _count);
}
