using Cacheweave.Benchmarks.Infrastructure;

namespace Cacheweave.Benchmarks.HitRatio;

/// <summary>A measured LRU result set against its published value.</summary>
/// <param name="Result">The measured replay.</param>
/// <param name="PublishedPercent">The published hit percentage (two decimals).</param>
/// <param name="PublishedHits">The published exact hit count, where there is one.</param>
public sealed record PublishedCheck(HitRatioResult Result, double PublishedPercent, long? PublishedHits)
{
    /// <summary>
    /// Whether the measurement reproduces the publication: the exact hit count where one is published,
    /// otherwise the percentage rounded to two decimals.
    /// </summary>
    public bool Matches => PublishedHits is { } hits
        ? Result.Hits == hits
        : Math.Abs(Math.Round(Result.HitPercent, 2, MidpointRounding.AwayFromZero) - PublishedPercent) < 0.001;

    /// <summary>A one-line description for the console and the report.</summary>
    public string Describe() =>
        $"{Result.Trace} @ {Result.Capacity}: {CacheUnderTest.DisplayName(Result.Kind)} {Result.HitPercent:0.00}% ({Result.Hits:N0} hits), " +
        $"published {PublishedPercent:0.00}%{(PublishedHits is { } h ? $" ({h:N0} hits)" : string.Empty)}";
}
