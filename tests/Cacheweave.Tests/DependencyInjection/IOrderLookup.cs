using Cacheweave.Interception;
using Cacheweave.Tests.Backends.Snapshots;

namespace Cacheweave.Tests.DependencyInjection;

/// <summary>A cached service whose results a snapshot file keeps across container restarts.</summary>
public interface IOrderLookup
{
    [Cached(TtlSeconds = 600)]
    Task<SnapshotOrder> FindAsync(int id);
}
