using Cacheweave.Interception;

namespace Cacheweave.Tests.DependencyInjection;

public interface IHasNegativeTtl
{
    [Cached(TtlSeconds = -1)]
    Task<int> GetAsync(int id);
}
