using Cacheweave.Backends;

namespace Cacheweave.Benchmarks.Infrastructure;

/// <summary>A Cacheweave backend through its synchronous API: <c>TryGet&lt;T&gt;</c> and <c>Set&lt;T&gt;</c>.</summary>
public readonly struct CacheweaveAdapter(InMemoryBackend backend) : ICacheAdapter
{
    /// <inheritdoc />
    public bool TryGet(string key) => backend.TryGet<BenchmarkValue>(key, out _);

    /// <inheritdoc />
    public void Put(string key, BenchmarkValue value) => backend.Set(key, value);
}
