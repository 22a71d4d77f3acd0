using Cacheweave.Backends.Counters;

namespace Cacheweave.Tests.Backends.Lfu;

public sealed class CountMinSketchTests
{
    [Fact]
    public void A_key_never_seen_is_estimated_at_zero()
    {
        var sketch = new CountMinSketch(1_000);

        Assert.Equal(0, sketch.Estimate(12345));
    }

    [Fact]
    public void The_estimate_follows_the_uses_and_saturates_at_sixteen()
    {
        var sketch = new CountMinSketch(1_000);
        var estimates = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            sketch.Increment(42);
            estimates.Add(sketch.Estimate(42));
        }

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 16, 16, 16, 16], estimates);
    }

    [Fact]
    public void The_first_use_stays_in_the_doorkeeper_until_the_counts_age()
    {
        var sketch = new CountMinSketch(100);
        sketch.Increment(7);
        Assert.Equal(1, sketch.Estimate(7));

        // Age the sketch with other keys: the doorkeeper is cleared, and a key seen once is forgotten.
        for (var i = 1_000; sketch.Resets == 0; i++)
        {
            sketch.Increment(i);
        }

        Assert.Equal(0, sketch.Estimate(7));
    }

    [Fact]
    public void Ageing_halves_the_counts_once_ten_times_the_capacity_in_uses_is_recorded()
    {
        var sketch = new CountMinSketch(100);
        for (var i = 0; i < 13; i++)
        {
            sketch.Increment(99);
        }

        var before = sketch.Estimate(99);
        var others = 1_000;
        while (sketch.Resets == 0)
        {
            sketch.Increment(others++);
        }

        Assert.Equal(1_000, sketch.SampleSize);
        Assert.Equal(13, before);

        // 12 in the counters (the first use went to the doorkeeper) halve to 6; the doorkeeper's bit is folded in
        // by rounding up, so nothing is lost to the doorkeeper beyond what halving loses anyway.
        Assert.Equal(6, sketch.Estimate(99));
    }

    [Fact]
    public void Frequent_keys_are_told_apart_from_rare_ones_despite_collisions()
    {
        var sketch = new CountMinSketch(1_000);
        for (var round = 0; round < 8; round++)
        {
            for (var key = 0; key < 100; key++)
            {
                sketch.Increment(key);
            }
        }

        for (var key = 10_000; key < 10_900; key++)
        {
            sketch.Increment(key);
        }

        var hot = Enumerable.Range(0, 100).Select(sketch.Estimate).ToList();
        var cold = Enumerable.Range(10_000, 900).Select(sketch.Estimate).ToList();
        Assert.All(hot, estimate => Assert.True(estimate >= 8));
        Assert.True(cold.Average() < 2, $"cold keys average {cold.Average()}");
    }
}
