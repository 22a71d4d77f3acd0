using System.Globalization;

namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>Median, 99th percentile and worst of a set of durations, for printing.</summary>
public readonly record struct LatencySummary(int Count, double MedianMs, double P99Ms, double MaxMs)
{
    public static LatencySummary Of(IEnumerable<TimeSpan> samples)
    {
        var sorted = samples.Select(s => s.TotalMilliseconds).Order().ToArray();
        if (sorted.Length == 0)
        {
            return default;
        }

        return new LatencySummary(
            sorted.Length,
            sorted[sorted.Length / 2],
            sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * 0.99) - 1)],
            sorted[^1]);
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"n={Count:N0} median={MedianMs:F3} ms p99={P99Ms:F3} ms max={MaxMs:F3} ms");
}
