using System.Globalization;
using Cacheweave.Benchmarks.Infrastructure;

namespace Cacheweave.Benchmarks.HitRatio;

/// <summary>
/// TinyLFU's hit-ratio targets (issue 12), over every trace and capacity replayed: above BitFaster
/// <c>ConcurrentLfu</c> on average, nowhere more than half a point below it, nowhere more than two points below
/// exact LRU, and at least 40% on OLTP at 1,000 entries.
/// </summary>
public static class TinyLfuTargets
{
    /// <summary>How far below <c>ConcurrentLfu</c> TinyLFU may fall in any cell, in points.</summary>
    public const double MaxPointsBelowConcurrentLfu = 0.5;

    /// <summary>How far below exact LRU TinyLFU may fall in any cell, in points.</summary>
    public const double MaxPointsBelowLru = 2.0;

    /// <summary>The least hit percentage on OLTP at 1,000 entries.</summary>
    public const double OltpAt1000Percent = 40.0;

    /// <summary>The caches the targets compare.</summary>
    public static IReadOnlyList<CacheKind> Kinds { get; } = [CacheKind.CacheweaveTinyLfu, CacheKind.ConcurrentLfu, CacheKind.CacheweaveLru];

    /// <summary>The cells in which all three caches were replayed, in trace and capacity order.</summary>
    public static IReadOnlyList<TinyLfuCell> Cells(IEnumerable<HitRatioResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return [.. results
            .GroupBy(r => (r.Trace, r.Capacity))
            .Select(g => (g.Key, byKind: g.ToDictionary(r => r.Kind, r => r.HitPercent)))
            .Where(g => Kinds.All(g.byKind.ContainsKey))
            .Select(g => new TinyLfuCell(g.Key.Trace, g.Key.Capacity, g.byKind[CacheKind.CacheweaveTinyLfu], g.byKind[CacheKind.ConcurrentLfu], g.byKind[CacheKind.CacheweaveLru]))
            .OrderBy(c => c.Trace, StringComparer.OrdinalIgnoreCase)
            .ThenBy(c => c.Capacity)];
    }

    /// <summary>
    /// Prints every cell with its differences, then each target and the cells that miss it; returns the number of
    /// targets missed (0 when all are met, and when no cell was replayed).
    /// </summary>
    public static int Report(IReadOnlyList<TinyLfuCell> cells, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine();
        output.WriteLine("TinyLFU targets (hit %; differences in points)");
        output.WriteLine($"{"trace",-8} {"capacity",8} {"TinyLFU",8} {"ConcLfu",8} {"LRU",8} {"-ConcLfu",9} {"-LRU",8}");
        foreach (var c in cells)
        {
            var flags = (c.MissesConcurrentLfu ? " <ConcLfu" : string.Empty) + (c.MissesLru ? " <LRU" : string.Empty);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.Trace,-8} {c.Capacity,8} {c.TinyLfu,8:0.00} {c.ConcurrentLfu,8:0.00} {c.Lru,8:0.00} {c.VersusConcurrentLfu,9:+0.00;-0.00;0.00} {c.VersusLru,8:+0.00;-0.00;0.00}{flags}"));
        }

        if (cells.Count == 0)
        {
            output.WriteLine("No cell has TinyLFU, ConcurrentLfu and LRU all replayed.");
            return 0;
        }

        var missed = 0;
        var average = cells.Average(c => c.VersusConcurrentLfu);
        missed += Line(output, average > 0, $"average versus ConcurrentLfu {average:+0.000;-0.000} points over {cells.Count} cells (target > 0)");
        missed += Misses(output, cells, c => c.MissesConcurrentLfu, c => c.VersusConcurrentLfu, $"more than {MaxPointsBelowConcurrentLfu} points below ConcurrentLfu");
        missed += Misses(output, cells, c => c.MissesLru, c => c.VersusLru, $"more than {MaxPointsBelowLru} points below exact LRU");
        if (OltpAt1000(cells) is { } oltp)
        {
            missed += Line(output, oltp.TinyLfu >= OltpAt1000Percent, $"OLTP at 1,000: {oltp.TinyLfu:0.00}% (target >= {OltpAt1000Percent}%)");
        }

        output.WriteLine(missed == 0 ? "All TinyLFU targets met." : $"MISSED: {missed} TinyLFU target(s).");
        return missed;
    }

    /// <summary>The cells that miss a target, worst first.</summary>
    /// <param name="cells">Every cell.</param>
    /// <param name="misses">Whether a cell misses the target (<see cref="TinyLfuCell.MissesConcurrentLfu"/>, <see cref="TinyLfuCell.MissesLru"/>).</param>
    /// <param name="difference">The difference the target bounds, in points; the most negative is the worst.</param>
    public static IReadOnlyList<TinyLfuCell> Missing(IEnumerable<TinyLfuCell> cells, Func<TinyLfuCell, bool> misses, Func<TinyLfuCell, double> difference) =>
        [.. cells.Where(misses).OrderBy(difference)];

    /// <summary>Cells as <c>trace@capacity ±points</c>, comma-separated.</summary>
    public static string Describe(IEnumerable<TinyLfuCell> cells, Func<TinyLfuCell, double> difference) =>
        string.Join(", ", cells.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Trace}@{c.Capacity} {difference(c):+0.00;-0.00;0.00}")));

    /// <summary>The OLTP cell at 1,000 entries, which the 40% target is about; <see langword="null"/> when it was not replayed.</summary>
    public static TinyLfuCell? OltpAt1000(IEnumerable<TinyLfuCell> cells) =>
        cells.FirstOrDefault(c => c.Trace.Equals("OLTP", StringComparison.OrdinalIgnoreCase) && c.Capacity == 1_000);

    private static int Misses(TextWriter output, IReadOnlyList<TinyLfuCell> cells, Func<TinyLfuCell, bool> misses, Func<TinyLfuCell, double> difference, string what)
    {
        var missing = Missing(cells, misses, difference);
        return Line(output, missing.Count == 0, $"{missing.Count} of {cells.Count} cells {what}{(missing.Count > 0 ? ": " + Describe(missing, difference) : string.Empty)}");
    }

    private static int Line(TextWriter output, bool met, string text)
    {
        output.WriteLine($"{(met ? "met     " : "MISSED  ")} {text}");
        return met ? 0 : 1;
    }
}
