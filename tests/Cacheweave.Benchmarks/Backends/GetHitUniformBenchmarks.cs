using System.Numerics;
using BenchmarkDotNet.Attributes;
using Cacheweave.Benchmarks.Infrastructure;

namespace Cacheweave.Benchmarks.Backends;

/// <summary>
/// <see cref="GetHitBenchmarks"/> with every resident entry read uniformly at random at 1,000,000 entries: most
/// reads then miss the CPU caches and the TLB, so the result measures memory latency as much as the cache.
/// Not part of the quick variant.
/// </summary>
[BenchmarkCategory("get-hit-uniform")]
public class GetHitUniformBenchmarks : GetHitBenchmarks
{
    /// <summary>Only the large cache: at 1,000 entries this is <see cref="GetHitBenchmarks"/>.</summary>
    protected override IEnumerable<int> Capacities => [1_000_000];

    /// <inheritdoc />
    protected override string[] CreateReadOrder() =>
        BenchmarkKeys.RandomOrder([.. ResidentKeys], (int)BitOperations.RoundUpToPowerOf2((uint)Capacity));
}
