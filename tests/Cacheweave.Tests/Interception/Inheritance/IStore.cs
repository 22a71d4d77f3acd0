using Cacheweave.Interception;

namespace Cacheweave.Tests.Interception.Inheritance;

/// <summary>A cached method inherited by two unrelated services.</summary>
public interface IStore
{
    [Cached]
    Task<int> CountAsync();
}
