namespace Cacheweave.Examples.WebApi;

/// <summary>Counts how often the real catalog runs, so the example can show what the cache saved.</summary>
public sealed class ExecutionCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}
