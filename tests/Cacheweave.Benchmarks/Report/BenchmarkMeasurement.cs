namespace Cacheweave.Benchmarks.Report;

/// <summary>One benchmark case's result, flattened from BenchmarkDotNet's summary.</summary>
/// <param name="Class">The benchmark class name.</param>
/// <param name="Category">Its first category (the group its ratios are taken within).</param>
/// <param name="Method">The benchmark method.</param>
/// <param name="Parameters">The parameter values, e.g. <c>Capacity=1000</c>; empty when there are none.</param>
/// <param name="Nanoseconds">
/// Time per operation in nanoseconds, from the fastest measured iteration: on a machine shared with other work
/// an iteration can only be slowed down, never sped up, so the fastest is the least disturbed.
/// </param>
/// <param name="AllocatedBytes">Bytes allocated per operation, when measured.</param>
/// <param name="IsBaseline">Whether the method is its class's baseline.</param>
public sealed record BenchmarkMeasurement(
    string Class,
    string Category,
    string Method,
    string Parameters,
    double Nanoseconds,
    double? AllocatedBytes,
    bool IsBaseline)
{
    /// <summary>The mean time per operation over the measured iterations (after BenchmarkDotNet's outlier removal), in nanoseconds.</summary>
    public double MeanNanoseconds { get; init; }
}
