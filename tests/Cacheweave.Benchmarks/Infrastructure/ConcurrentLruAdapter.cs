using BitFaster.Caching.Lru;

namespace Cacheweave.Benchmarks.Infrastructure;

/// <summary>BitFaster.Caching's <see cref="ConcurrentLru{K, V}"/> (TU-Q, pseudo LRU), the baseline of every backend benchmark.</summary>
public readonly struct ConcurrentLruAdapter(ConcurrentLru<string, BenchmarkValue> cache) : ICacheAdapter
{
    /// <inheritdoc />
    public bool TryGet(string key) => cache.TryGet(key, out _);

    /// <inheritdoc />
    public void Put(string key, BenchmarkValue value) => cache.AddOrUpdate(key, value);
}
