using BenchmarkDotNet.Attributes;
using Cacheweave.Benchmarks.Infrastructure;

namespace Cacheweave.Benchmarks.Backends;

/// <summary>A read of a key the (full) cache does not hold, through each cache's synchronous read.</summary>
[BenchmarkCategory("get-miss")]
public class GetMissBenchmarks : BackendBenchmark
{
    private const int MissKeyCount = 4 * Batch;

    private string[] _absent = [];

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int ConcurrentLru() => CacheWorkloads.Read(BitFasterLru, _absent, Advance(Batch), Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int ConcurrentTLru() => CacheWorkloads.Read(BitFasterTLru, _absent, Advance(Batch), Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int ConcurrentLfu() => CacheWorkloads.Read(BitFasterLfu, _absent, Advance(Batch), Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int MemoryCache() => CacheWorkloads.Read(ExtensionsMemoryCache, _absent, Advance(Batch), Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int CacheweaveLru() => CacheWorkloads.Read(Cacheweave, _absent, Advance(Batch), Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int CacheweaveLfu() => CacheWorkloads.Read(Cacheweave, _absent, Advance(Batch), Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int CacheweaveTtl() => CacheWorkloads.Read(Cacheweave, _absent, Advance(Batch), Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int CacheweaveLruTtl() => CacheWorkloads.Read(Cacheweave, _absent, Advance(Batch), Batch);

    /// <inheritdoc />
    protected override int OnSetup()
    {
        _absent = BenchmarkKeys.Create(MissKeyCount, "absent");
        return MissKeyCount;
    }

    /// <inheritdoc />
    protected override void OnCleanup() => _absent = [];
}
