using BenchmarkDotNet.Attributes;

namespace Cacheweave.Benchmarks.Backends;

/// <summary>
/// A write of a new key into a full cache, so that every write evicts. The keys cycle through twice the
/// capacity, so a key comes back only after the cache has evicted it. (<c>MemoryCache</c> does not evict on a
/// write: past its size limit it drops the new entry and compacts in the background.)
/// </summary>
[BenchmarkCategory("put-evict")]
public class PutBenchmarks : BackendBenchmark
{
    private int _next;

    /// <inheritdoc />
    protected override int KeyCount => 2 * Capacity;

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public void ConcurrentLru() => _next = CacheWorkloads.Write(BitFasterLru, AllKeys, _next, Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public void ConcurrentTLru() => _next = CacheWorkloads.Write(BitFasterTLru, AllKeys, _next, Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public void ConcurrentLfu() => _next = CacheWorkloads.Write(BitFasterLfu, AllKeys, _next, Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public void MemoryCache() => _next = CacheWorkloads.Write(ExtensionsMemoryCache, AllKeys, _next, Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public void CacheweaveLru() => _next = CacheWorkloads.Write(Cacheweave, AllKeys, _next, Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public void CacheweaveLfu() => _next = CacheWorkloads.Write(Cacheweave, AllKeys, _next, Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public void CacheweaveTtl() => _next = CacheWorkloads.Write(Cacheweave, AllKeys, _next, Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public void CacheweaveLruTtl() => _next = CacheWorkloads.Write(Cacheweave, AllKeys, _next, Batch);

    /// <inheritdoc />
    protected override int OnSetup()
    {
        _next = Capacity;
        return 1;
    }
}
