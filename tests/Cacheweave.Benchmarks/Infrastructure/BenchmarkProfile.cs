namespace Cacheweave.Benchmarks.Infrastructure;

/// <summary>
/// Which variant of the benchmarks runs. The quick variant (the report) trims the parameter grids; the smoke
/// variant (the unit test that runs every benchmark method once) shrinks the caches so it takes seconds.
/// Benchmark classes read it when BenchmarkDotNet, or the smoke test, asks for their parameter values.
/// </summary>
public static class BenchmarkProfile
{
    /// <summary>The capacity every backend benchmark uses in the smoke variant.</summary>
    public const int SmokeCapacity = 1_000;

    /// <summary>The quick variant: fewer parameter values, a short job.</summary>
    public static bool Quick { get; set; }

    /// <summary>The smoke variant: small caches, for running each benchmark method once.</summary>
    public static bool Smoke { get; set; }
}
