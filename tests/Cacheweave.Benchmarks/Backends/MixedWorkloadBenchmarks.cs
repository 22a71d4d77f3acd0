using BenchmarkDotNet.Attributes;
using Cacheweave.Benchmarks.Infrastructure;

namespace Cacheweave.Benchmarks.Backends;

/// <summary>
/// 80% reads and 20% writes over the resident keys (reads hit, writes replace a value), on one thread or
/// split across two. Each invocation runs the same number of operations in total, so the reported time per
/// operation is the inverse of throughput: with two threads it falls as far as the cache scales.
/// </summary>
[BenchmarkCategory("mix-80-20")]
public class MixedWorkloadBenchmarks : BackendBenchmark
{
    private const int OperationsPerInvoke = 16 * Batch;
    private const int SequenceLength = 8 * OperationsPerInvoke;
    private const double WriteShare = 0.2;

    private MixedOperation[] _operations = [];

    /// <summary>The number of threads sharing the operations.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [Benchmark(Baseline = true, OperationsPerInvoke = OperationsPerInvoke)]
    public int ConcurrentLru() => Run(BitFasterLru);

    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public int ConcurrentTLru() => Run(BitFasterTLru);

    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public int ConcurrentLfu() => Run(BitFasterLfu);

    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public int MemoryCache() => Run(ExtensionsMemoryCache);

    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public int CacheweaveLru() => Run(Cacheweave);

    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public int CacheweaveLfu() => Run(Cacheweave);

    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public int CacheweaveTtl() => Run(Cacheweave);

    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public int CacheweaveLruTtl() => Run(Cacheweave);

    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public int CacheweaveTinyLfu() => Run(Cacheweave);

    /// <inheritdoc />
    protected override int OnSetup()
    {
        var random = new Random(7);
        var keys = ResidentKeys;
        _operations = new MixedOperation[SequenceLength];
        for (var i = 0; i < _operations.Length; i++)
        {
            _operations[i] = new MixedOperation(keys[random.Next(keys.Count)], random.NextDouble() < WriteShare);
        }

        return SequenceLength;
    }

    /// <inheritdoc />
    protected override void OnCleanup() => _operations = [];

    private int Run<TCache>(TCache cache)
        where TCache : struct, ICacheAdapter
    {
        var start = Advance(OperationsPerInvoke);
        if (Threads == 1)
        {
            return CacheWorkloads.Mixed(cache, _operations, start, OperationsPerInvoke);
        }

        // Each thread takes its own stretch of the sequence, so the threads do not read the same keys in lockstep.
        var operations = _operations;
        var perThread = OperationsPerInvoke / Threads;
        var stride = SequenceLength / Threads;
        var hits = 0;
        Parallel.For(0, Threads, thread => Interlocked.Add(ref hits, CacheWorkloads.Mixed(cache, operations, start + (thread * stride), perThread)));
        return hits;
    }
}
