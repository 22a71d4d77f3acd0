using BenchmarkDotNet.Attributes;
using Cacheweave.Benchmarks.Infrastructure;

namespace Cacheweave.Benchmarks.Backends;

/// <summary>
/// A read of a key the cache holds, from a hot set of 1,024 keys spread at random over the resident entries
/// (all of them at capacity 1,000), read in a fixed random order that each invocation continues. The hot set
/// stays in the CPU caches whatever the cache's size, so comparing capacities shows how the read path itself
/// scales; <see cref="GetHitUniformBenchmarks"/> reads every entry instead. Cacheweave backends are read
/// through <c>TryGet&lt;T&gt;</c> and through <c>GetAsync&lt;T&gt;</c> (completed synchronously).
/// </summary>
[BenchmarkCategory("get-hit")]
public class GetHitBenchmarks : BackendBenchmark
{
    private string[] _order = [];

    /// <summary>The capacities measured: both sizes even in the quick variant, for the scaling target.</summary>
    protected override IEnumerable<int> Capacities => [1_000, 1_000_000];

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int ConcurrentLru() => CacheWorkloads.Read(BitFasterLru, _order, Advance(Batch), Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int ConcurrentTLru() => CacheWorkloads.Read(BitFasterTLru, _order, Advance(Batch), Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int ConcurrentLfu() => CacheWorkloads.Read(BitFasterLfu, _order, Advance(Batch), Batch);

    /// <summary>
    /// <c>ConcurrentLfu</c> doing its policy work on the reading thread, as Cacheweave's backends do; by default it
    /// hands that work to the thread pool, which on a machine with an idle core takes it off the measured thread.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int ConcurrentLfuForeground() => CacheWorkloads.Read(BitFasterLfu, _order, Advance(Batch), Batch);

    [GlobalSetup(Target = nameof(ConcurrentLfuForeground))]
    public void SetupConcurrentLfuForeground() => Setup(CacheUnderTest.ConcurrentLfuWithForegroundMaintenance);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int MemoryCache() => CacheWorkloads.Read(ExtensionsMemoryCache, _order, Advance(Batch), Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int CacheweaveLru() => CacheWorkloads.Read(Cacheweave, _order, Advance(Batch), Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int CacheweaveLfu() => CacheWorkloads.Read(Cacheweave, _order, Advance(Batch), Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int CacheweaveTtl() => CacheWorkloads.Read(Cacheweave, _order, Advance(Batch), Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int CacheweaveLruTtl() => CacheWorkloads.Read(Cacheweave, _order, Advance(Batch), Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int CacheweaveTinyLfu() => CacheWorkloads.Read(Cacheweave, _order, Advance(Batch), Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int CacheweaveLruGetAsync() => CacheWorkloads.Read(CacheweaveAsync, _order, Advance(Batch), Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int CacheweaveLfuGetAsync() => CacheWorkloads.Read(CacheweaveAsync, _order, Advance(Batch), Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int CacheweaveTtlGetAsync() => CacheWorkloads.Read(CacheweaveAsync, _order, Advance(Batch), Batch);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int CacheweaveLruTtlGetAsync() => CacheWorkloads.Read(CacheweaveAsync, _order, Advance(Batch), Batch);

    /// <summary>How many distinct keys the reads touch.</summary>
    protected const int HotSetSize = Batch;

    /// <inheritdoc />
    protected override int OnSetup()
    {
        _order = CreateReadOrder();
        return _order.Length;
    }

    /// <summary>The keys to read, in order; the length is a power of two.</summary>
    protected virtual string[] CreateReadOrder()
    {
        var resident = ResidentKeys.ToArray();
        new Random(11).Shuffle(resident);
        return BenchmarkKeys.RandomOrder(resident[..Math.Min(HotSetSize, resident.Length)], 4 * Batch);
    }

    /// <inheritdoc />
    protected override void OnCleanup() => _order = [];
}
