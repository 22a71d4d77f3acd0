using BitFaster.Caching.Lfu;

namespace Cacheweave.Benchmarks.Infrastructure;

/// <summary>BitFaster.Caching's <see cref="ConcurrentLfu{K, V}"/> (W-TinyLFU).</summary>
public readonly struct ConcurrentLfuAdapter(ConcurrentLfu<string, BenchmarkValue> cache) : ICacheAdapter
{
    /// <inheritdoc />
    public bool TryGet(string key) => cache.TryGet(key, out _);

    /// <inheritdoc />
    public void Put(string key, BenchmarkValue value) => cache.AddOrUpdate(key, value);
}
