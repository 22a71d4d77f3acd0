using Cacheweave.Tests.Backends.Snapshots;

namespace Cacheweave.Tests.DependencyInjection;

/// <summary>Counts how often the real method runs (a static count, since each container makes its own instance).</summary>
public sealed class OrderLookup : IOrderLookup
{
    private static int s_executions;

    public static int Executions => Volatile.Read(ref s_executions);

    public Task<SnapshotOrder> FindAsync(int id)
    {
        Interlocked.Increment(ref s_executions);
        return Task.FromResult(new SnapshotOrder(id, "customer " + id, id * 1.5m));
    }
}
