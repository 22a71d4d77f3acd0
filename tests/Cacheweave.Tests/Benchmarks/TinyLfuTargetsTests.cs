using Cacheweave.Benchmarks.HitRatio;
using Cacheweave.Benchmarks.Infrastructure;
using Cacheweave.Tests.Traces;

namespace Cacheweave.Tests.Benchmarks;

/// <summary>The lab's <c>--targets</c> and <c>--kinds</c> options and its check of TinyLFU's issue-12 targets.</summary>
public sealed class TinyLfuTargetsTests
{
    [Fact]
    public void Targets_alone_replays_only_the_three_caches_the_targets_compare()
    {
        var options = LabOptions.Parse(["--targets", "gli"]);

        Assert.True(options.Targets);
        Assert.Equal([CacheKind.CacheweaveTinyLfu, CacheKind.ConcurrentLfu, CacheKind.CacheweaveLru], options.Kinds);
        Assert.Equal(["gli"], options.Traces);
    }

    [Fact]
    public void Kinds_takes_aliases_and_enum_names_and_rejects_unknown_caches()
    {
        Assert.Equal([CacheKind.ConcurrentLfu, CacheKind.CacheweaveLruTtl], LabOptions.Parse(["--kinds", "clfu,CacheweaveLruTtl"]).Kinds);
        Assert.Equal([CacheKind.CacheweaveTinyLfu], LabOptions.Parse(["--kinds=tinylfu"]).Kinds);
        Assert.Equal(HitRatioLab.Kinds, LabOptions.Parse([]).Kinds);
        Assert.Throws<ArgumentException>(() => LabOptions.Parse(["--kinds", "arc"]));
        Assert.Throws<ArgumentException>(() => LabOptions.Parse(["--kinds"]));
        Assert.Throws<ArgumentException>(() => LabOptions.Parse(["--fast"]));
    }

    [Fact]
    public void Each_missed_target_is_counted_and_its_cells_listed()
    {
        TinyLfuCell[] cells =
        [
            new("OLTP", 1_000, 39.0, 39.5, 32.8),
            new("zigzag", 600, 25.0, 26.0, 28.8),
            new("loop", 100, 9.0, 7.0, 0.0),
        ];
        var output = new StringWriter();

        var missed = TinyLfuTargets.Report(cells, output);

        // Average +0.17 is met; below ConcurrentLfu (zigzag), below LRU (zigzag) and OLTP under 40% are missed.
        Assert.Equal(3, missed);
        Assert.Contains("1 of 3 cells more than 0.5 points below ConcurrentLfu: zigzag@600 -1.00", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("1 of 3 cells more than 2 points below exact LRU: zigzag@600 -3.80", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("MISSED   OLTP at 1,000: 39.00%", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Cells_pair_the_three_caches_and_the_gli_trace_meets_the_lru_target()
    {
        var trace = Trace.Load(TraceDirectory.GetFile("gli.trace.gz"));
        var results = HitRatioLab.Run([trace], TinyLfuTargets.Kinds);

        var cells = TinyLfuTargets.Cells(results);

        Assert.Equal(HitRatioLab.CapacitiesFor(trace), cells.Select(c => c.Capacity));
        Assert.All(cells, c => Assert.False(c.MissesLru, $"gli@{c.Capacity}: TinyLFU {c.TinyLfu:0.00}%, LRU {c.Lru:0.00}%"));
    }
}
