namespace Cacheweave.Benchmarks.HitRatio;

/// <summary>A trace's size, for tables.</summary>
/// <param name="Name">The trace name.</param>
/// <param name="Requests">The number of requests.</param>
/// <param name="DistinctKeys">The number of distinct keys.</param>
public sealed record TraceSummary(string Name, int Requests, int DistinctKeys)
{
    /// <summary>The summary of <paramref name="trace"/>.</summary>
    public static TraceSummary Of(Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return new(trace.Name, trace.Requests.Count, trace.DistinctKeys);
    }
}
