namespace Cacheweave.Benchmarks.Infrastructure;

/// <summary>
/// Whether the run is the quick variant (the report, CI-sized) or the full one. The quick variant trims the
/// parameter grids; benchmark classes read it when BenchmarkDotNet asks for their parameter values.
/// </summary>
public static class BenchmarkProfile
{
    /// <summary>The quick variant: fewer parameter values, a short job.</summary>
    public static bool Quick { get; set; }
}
