using System.Text;
using Cacheweave.Benchmarks.HitRatio;
using static System.FormattableString;

namespace Cacheweave.Benchmarks.Report;

/// <summary>
/// The report's comparison of TinyLFU with BitFaster <c>ConcurrentLfu</c> and exact LRU in every replayed cell, and the
/// rows of its hit-ratio targets (issue 12) for the targets table.
/// </summary>
public static class TinyLfuSection
{
    private const string Subject = "Cacheweave TinyLFU";

    /// <summary>One target row per hit-ratio target; none when no cell replayed all three caches.</summary>
    public static IEnumerable<TargetResult> Targets(IReadOnlyList<TinyLfuCell> cells)
    {
        if (cells.Count == 0)
        {
            yield break;
        }

        var average = cells.Average(c => c.VersusConcurrentLfu);
        yield return new TargetResult(
            "TinyLFU hit ratio above ConcurrentLfu's on average",
            Subject,
            Invariant($"{average:+0.000;-0.000} points"),
            average > 0,
            Invariant($"over {cells.Count} trace × capacity cells"));
        yield return Misses(
            cells,
            Invariant($"TinyLFU nowhere more than {TinyLfuTargets.MaxPointsBelowConcurrentLfu} points below ConcurrentLfu"),
            c => c.MissesConcurrentLfu,
            c => c.VersusConcurrentLfu);
        yield return Misses(
            cells,
            Invariant($"TinyLFU nowhere more than {TinyLfuTargets.MaxPointsBelowLru} points below exact LRU"),
            c => c.MissesLru,
            c => c.VersusLru);
        if (TinyLfuTargets.OltpAt1000(cells) is { } oltp)
        {
            yield return new TargetResult(
                Invariant($"TinyLFU ≥ {TinyLfuTargets.OltpAt1000Percent}% on OLTP at 1,000 entries"),
                Subject,
                Invariant($"{oltp.TinyLfu:0.00}%"),
                oltp.TinyLfu >= TinyLfuTargets.OltpAt1000Percent,
                Invariant($"ConcurrentLfu {oltp.ConcurrentLfu:0.00}%, LRU {oltp.Lru:0.00}%"));
        }
    }

    /// <summary>Writes every cell with its two differences; misses in bold.</summary>
    public static void Write(StringBuilder md, IReadOnlyList<TinyLfuCell> cells)
    {
        if (cells.Count == 0)
        {
            return;
        }

        md.AppendLine("## TinyLFU against BitFaster `ConcurrentLfu` and exact LRU");
        md.AppendLine();
        md.AppendLine("The same replays as above, one row per trace and capacity: hit % and the difference in points. **Bold** marks a " +
            Invariant($"miss of the issue-12 targets (more than {TinyLfuTargets.MaxPointsBelowConcurrentLfu} points below `ConcurrentLfu`, or more than {TinyLfuTargets.MaxPointsBelowLru} below exact LRU). ") +
            "Both W-TinyLFU caches hash keys with a fixed hash in the lab, so every number is the same on every run. " +
            "`dotnet run -c Release --project tests/Cacheweave.Benchmarks -- hitratio --targets` prints this comparison alone and exits 1 on a miss.");
        md.AppendLine();
        md.AppendLine("| trace | capacity | TinyLFU | ConcurrentLfu | Δ | exact LRU | Δ |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var c in cells)
        {
            md.AppendLine(Invariant(
                $"| {c.Trace} | {c.Capacity:N0} | {c.TinyLfu:0.00} | {c.ConcurrentLfu:0.00} | {Difference(c.VersusConcurrentLfu, c.MissesConcurrentLfu)} | {c.Lru:0.00} | {Difference(c.VersusLru, c.MissesLru)} |"));
        }

        md.AppendLine();
    }

    private static TargetResult Misses(IReadOnlyList<TinyLfuCell> cells, string target, Func<TinyLfuCell, bool> misses, Func<TinyLfuCell, double> difference)
    {
        var missing = TinyLfuTargets.Missing(cells, misses, difference);
        var worst = TinyLfuTargets.Describe(missing.Take(6), difference);
        return new TargetResult(
            target,
            Subject,
            Invariant($"{missing.Count} of {cells.Count} cells below"),
            missing.Count == 0,
            missing.Count == 0 ? Invariant($"worst {cells.Min(difference):+0.00;-0.00} points") : "worst: " + worst + (missing.Count > 6 ? ", …" : string.Empty));
    }

    private static string Difference(double points, bool missed)
    {
        var text = Invariant($"{points:+0.00;-0.00;0.00}");
        return missed ? $"**{text}**" : text;
    }
}
