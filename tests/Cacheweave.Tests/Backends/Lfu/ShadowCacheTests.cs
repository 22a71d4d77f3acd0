using Cacheweave.Backends.Counters;
using Cacheweave.Backends.Lfu;

namespace Cacheweave.Tests.Backends.Lfu;

public sealed class ShadowCacheTests
{
    [Theory]
    [InlineData(1, 1, 0)]
    [InlineData(2, 1, 1)]
    [InlineData(7, 3, 0)]
    [InlineData(64, 1, 1)]
    [InlineData(64, 32, 0)]
    [InlineData(500, 5, 1)]
    [InlineData(500, 495, 1)]
    public void Every_request_hits_or_misses_as_the_reference_model_does(int capacity, int window, int margin)
    {
        // Skewed requests over four times the capacity in keys, some of them with colliding table homes (hashes that
        // differ only in bits the table's mix folds together are not special-cased: the probe runs must survive
        // removals from their middle).
        var sketch = new CountMinSketch(capacity);
        var shadow = new ShadowCache(capacity, window, sketch);
        var reference = new ReferenceShadowCache(capacity, window, sketch);
        var random = new Random(capacity * 31 + window);
        for (var i = 0; i < 50_000; i++)
        {
            var key = (int)Math.Pow(random.Next(1, 1 + (4 * capacity * 4 * capacity)), 0.5);
            var hash = key * 4;
            sketch.Increment(hash);

            var hit = shadow.Access(hash, margin);

            Assert.Equal(reference.Access(hash, margin), hit);
            Assert.True(shadow.Count <= capacity);
        }

        Assert.Equal(reference.Count, shadow.Count);
        for (var key = 0; key <= 4 * capacity; key++)
        {
            Assert.Equal(reference.Contains(key * 4), shadow.Contains(key * 4));
        }
    }

    [Fact]
    public void A_scan_of_new_keys_does_not_flush_frequently_used_ones()
    {
        var sketch = new CountMinSketch(100);
        var shadow = new ShadowCache(100, 1, sketch);
        for (var round = 0; round < 5; round++)
        {
            for (var key = 0; key < 50; key++)
            {
                Play(shadow, sketch, key * 4);
            }
        }

        for (var key = 1_000; key < 1_500; key++)
        {
            Play(shadow, sketch, key * 4);
        }

        Assert.All(Enumerable.Range(0, 50), key => Assert.True(shadow.Contains(key * 4), $"key {key} was flushed"));
    }

    [Fact]
    public void A_window_larger_than_the_capacity_is_refused()
    {
        var sketch = new CountMinSketch(10);

        Assert.Throws<ArgumentOutOfRangeException>(() => new ShadowCache(10, 11, sketch));
    }

    private static bool Play(ShadowCache shadow, CountMinSketch sketch, int hash)
    {
        sketch.Increment(hash);
        return shadow.Access(hash, margin: 1);
    }
}
