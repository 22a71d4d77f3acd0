using System.Text;
using Cacheweave.Benchmarks.HitRatio;
using Cacheweave.Benchmarks.Report;

namespace Cacheweave.Tests.Benchmarks;

public sealed class TinyLfuSectionTests
{
    [Fact]
    public void The_targets_table_gets_one_row_per_hit_ratio_target_with_its_verdict()
    {
        TinyLfuCell[] cells =
        [
            new("OLTP", 1_000, 40.3, 39.9, 32.8),
            new("loop", 100, 9.2, 6.0, 0.0),
            new("gli", 750, 20.0, 22.0, 19.0),
            new("sprite", 710, 60.0, 60.1, 62.5),
        ];

        var targets = TinyLfuSection.Targets(cells).ToList();

        Assert.Equal(4, targets.Count);
        Assert.True(targets[0].Met); // average +0.375
        Assert.False(targets[1].Met); // gli@750 is 2 points below ConcurrentLfu
        Assert.Contains("gli@750 -2.00", targets[1].Detail, StringComparison.Ordinal);
        Assert.False(targets[2].Met); // sprite@710 is 2.5 points below LRU
        Assert.Contains("sprite@710 -2.50", targets[2].Detail, StringComparison.Ordinal);
        Assert.True(targets[3].Met);
        Assert.Equal("40.30%", targets[3].Measured);
    }

    [Fact]
    public void The_section_lists_every_cell_and_marks_misses_in_bold()
    {
        TinyLfuCell[] cells = [new("gli", 750, 20.0, 22.0, 19.0), new("OLTP", 1_000, 40.3, 39.9, 32.8)];
        var md = new StringBuilder();

        TinyLfuSection.Write(md, cells);

        var text = md.ToString();
        Assert.Contains("| gli | 750 | 20.00 | 22.00 | **-2.00** | 19.00 | +1.00 |", text, StringComparison.Ordinal);
        Assert.Contains("| OLTP | 1,000 | 40.30 | 39.90 | +0.40 | 32.80 | +7.50 |", text, StringComparison.Ordinal);
    }

    [Fact]
    public void No_replayed_cell_gives_no_rows_and_no_section()
    {
        var md = new StringBuilder();
        TinyLfuSection.Write(md, []);

        Assert.Empty(TinyLfuSection.Targets([]));
        Assert.Equal(0, md.Length);
    }
}
