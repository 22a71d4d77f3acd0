using Cacheweave.Interception;

namespace Cacheweave.Tests.Interception.Store;

public interface IGuardedService
{
    [Cached]
    Task<int> TaskAsync(int n);

    [Cached]
    ValueTask<int> ValueAsync(int n);

    [Cached]
    int Sync(int n);
}
