using Cacheweave.Interception;
using Cacheweave.Keys;

namespace Cacheweave.Tests.Interception;

/// <summary>A service with one method of each shape the interceptor handles.</summary>
public interface IUserService
{
    [Cached]
    Task<User?> FindAsync(int id, CancellationToken cancellationToken = default);

    [Cached]
    ValueTask<User?> FindValueAsync(int id, CancellationToken cancellationToken = default);

    [Cached]
    User? Find(int id);

    [Cached]
    int CountByName(string name);

    [Cached]
    ValueTask<int> CountValueAsync(string name);

    [Cached(CacheNulls = false)]
    Task<User?> FindWithoutNullCachingAsync(int id);

    [Cached(CacheNulls = false)]
    User? FindSyncWithoutNullCaching(int id);

    [Cached(TtlSeconds = 30)]
    Task<string> GreetingAsync(int id);

    [Cached]
    Task<T> EchoAsync<T>(T value);

    [Cached]
    Task<string> DescribeAsync(int id);

    [Cached]
    Task<string> DescribeAsync(long id);

    [Cached]
    Task<string> DescribeAsync(string id);

    [Cached]
    Task<string> TraceAsync(int id, [NotPartOfKey] string correlationId);

    [Cached(Versioned = true)]
    Task<string> SearchAsync(string text, CancellationToken cancellationToken = default);

    [Cached(Versioned = true)]
    string SearchSync(string text);

    Task<string> UncachedAsync(int id);
}
