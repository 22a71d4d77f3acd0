using BitFaster.Caching.Lru;

namespace Cacheweave.Benchmarks.Infrastructure;

/// <summary>BitFaster.Caching's <see cref="ConcurrentTLru{K, V}"/>: the pseudo LRU with a time to live.</summary>
public readonly struct ConcurrentTLruAdapter(ConcurrentTLru<string, BenchmarkValue> cache) : ICacheAdapter
{
    /// <inheritdoc />
    public bool TryGet(string key) => cache.TryGet(key, out _);

    /// <inheritdoc />
    public void Put(string key, BenchmarkValue value) => cache.AddOrUpdate(key, value);
}
