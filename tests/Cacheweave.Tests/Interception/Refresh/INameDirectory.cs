using Cacheweave.Interception;

namespace Cacheweave.Tests.Interception.Refresh;

/// <summary>Lookups whose results are not always stored: nulls not cached, <c>Unless</c>, results the budget cannot hold.</summary>
public interface INameDirectory
{
    [Cached(CacheNulls = false)]
    Task<string?> FindAsync(int id);

    [Cached(CacheNulls = false)]
    ValueTask<string?> FindValueAsync(int id);

    [Cached(CacheNulls = false)]
    string? FindSync(int id);

    [Cached(TtlSeconds = 10, FailSafeSeconds = 60, CacheNulls = false)]
    Task<string?> FindSafeAsync(int id);

    [Cached(TtlSeconds = 10, EagerRefresh = 0.8, CacheNulls = false)]
    Task<string?> FindEagerAsync(int id);

    [Cached(TtlSeconds = 60, Unless = nameof(IsBlank))]
    Task<string> NameAsync(int id);

    static bool IsBlank(string name) => name.Length == 0;
}
