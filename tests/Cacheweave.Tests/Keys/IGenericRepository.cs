using Cacheweave.Interception;

namespace Cacheweave.Tests.Keys;

public interface IGenericRepository<TEntity>
{
    [Cached]
    Task<TEntity?> GetAsync(int id);

    [Cached]
    Task<Dictionary<string, TEntity[]>> GroupAsync<TKey>(TKey[] keys, int? limit);
}
