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
    public void The_estimate_follows_the_uses_and_saturates_at_fifteen()
    {
        var sketch = new CountMinSketch(1_000);
        var estimates = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            sketch.Increment(42);
            estimates.Add(sketch.Estimate(42));
        }

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 15, 15, 15, 15, 15], estimates);
    }

    [Fact]
    public void A_key_used_once_is_still_told_from_a_key_never_seen_after_the_counts_age()
    {
        var sketch = new CountMinSketch(100);
        sketch.Increment(7);
        Assert.Equal(1, sketch.Estimate(7));

        // Age the sketch with a few other keys used many times: halving rounds up, so one use is not forgotten.
        for (var i = 0; sketch.Resets == 0; i++)
        {
            sketch.Increment(1_000 + (i % 10));
        }

        Assert.Equal(1, sketch.Estimate(7));
        Assert.Equal(0, sketch.Estimate(999_999));
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

        // 13 halves to 7: halving rounds up.
        Assert.Equal(7, sketch.Estimate(99));
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
