using Microsoft.Extensions.Caching.Memory;

namespace Cacheweave.Benchmarks.Infrastructure;

/// <summary>
/// Microsoft.Extensions.Caching.Memory's <see cref="MemoryCache"/> used the way applications use it: the typed
/// <c>TryGetValue</c> and <c>Set</c> extensions, each entry of size 1 against a <c>SizeLimit</c> equal to the capacity.
/// </summary>
public readonly struct MemoryCacheAdapter(MemoryCache cache) : ICacheAdapter
{
    private static readonly MemoryCacheEntryOptions SizeOne = new() { Size = 1 };

    /// <inheritdoc />
    public bool TryGet(string key) => cache.TryGetValue<BenchmarkValue>(key, out _);

    /// <inheritdoc />
    public void Put(string key, BenchmarkValue value) => cache.Set(key, value, SizeOne);
}
