using Cacheweave.Benchmarks.Infrastructure;

namespace Cacheweave.Benchmarks.HitRatio;

/// <summary>One replay of a trace through one cache.</summary>
/// <param name="Trace">The trace name.</param>
/// <param name="Capacity">The cache's capacity in entries.</param>
/// <param name="Kind">The cache.</param>
/// <param name="Requests">The requests replayed.</param>
/// <param name="Hits">The requests that hit.</param>
public sealed record HitRatioResult(string Trace, int Capacity, CacheKind Kind, long Requests, long Hits)
{
    /// <summary>Hits as a percentage of requests.</summary>
    public double HitPercent => Requests == 0 ? 0 : 100.0 * Hits / Requests;
}
