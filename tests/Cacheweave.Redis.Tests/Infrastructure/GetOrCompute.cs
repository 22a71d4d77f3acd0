using Cacheweave.Backends;

namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>
/// What a cached proxy does on each call — look up, compute on a miss, store — for driving a backend the way the
/// interceptor will.
/// </summary>
public static class GetOrCompute
{
    private static readonly CacheEntryOptions s_options = CacheEntryOptions.FromSeconds(30);

    public static async ValueTask<T> CallAsync<T>(ICacheBackend cache, string key, Func<string, ValueTask<T>> compute)
    {
        var cached = await cache.GetAsync<T>(key);
        if (cached.TryGetValue(out var value))
        {
            return value;
        }

        value = await compute(key);
        await cache.PutAsync(key, value, s_options);
        return value;
    }
}
