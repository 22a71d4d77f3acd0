using Cacheweave.Backends.Counters;
using Cacheweave.Backends.Lfu;

namespace Cacheweave.Tests.Backends.Lfu;

public sealed class WindowTunerTests
{
    private const int Capacity = 1_600;

    [Fact]
    public void The_window_starts_on_the_rung_nearest_the_initial_window()
    {
        var tuner = new WindowTuner(Capacity, initialWindow: 16, new CountMinSketch(Capacity));

        Assert.Equal(1, tuner.Rung);
        Assert.Equal(16, tuner.Window);
    }

    [Fact]
    public void A_period_ends_after_ten_times_the_capacity_in_requests_and_not_before()
    {
        var sketch = new CountMinSketch(Capacity);
        var tuner = new WindowTuner(Capacity, 16, sketch);
        var ended = new List<int>();
        for (var i = 1; i <= 3 * sketch.SampleSize; i++)
        {
            if (tuner.Record(Hash(i % 10), margin: 1))
            {
                ended.Add(i);
            }
        }

        Assert.Equal([sketch.SampleSize, 2 * sketch.SampleSize, 3 * sketch.SampleSize], ended);
    }

    [Fact]
    public void Without_a_clear_winner_the_window_stays()
    {
        // A few keys requested over and over: every shadow hits every time, so no rung gains anything.
        var sketch = new CountMinSketch(Capacity);
        var tuner = new WindowTuner(Capacity, 16, sketch);

        Run(tuner, sketch, periods: 3, i => i % 50);

        Assert.Equal(1, tuner.Rung);
    }

    [Fact]
    public void A_recency_workload_climbs_one_rung_per_period()
    {
        // Each key is requested a few times within a short span, then never again: only a large window keeps it
        // long enough (TinyLFU's main region would not admit it over keys already counted as often).
        var sketch = new CountMinSketch(Capacity);
        var tuner = new WindowTuner(Capacity, 16, sketch);
        var rungs = new List<int>();
        for (var period = 0; period < 4; period++)
        {
            Run(tuner, sketch, periods: 1, i => (i / 8) + ((i % 8) * 100) + (period * 10_000_000));
            rungs.Add(tuner.Rung);
        }

        Assert.Equal([2, 3, 4, 5], rungs);
    }

    [Fact]
    public void A_frequency_workload_with_scans_takes_the_window_down_a_rung_at_a_time()
    {
        // A hot set nearly the size of the cache, interleaved with a scan of keys never seen again: a small window
        // lets the scan through without displacing hot keys, a 20% window keeps scan keys in place of hot ones.
        var sketch = new CountMinSketch(Capacity);
        var tuner = new WindowTuner(Capacity, initialWindow: 320, sketch);
        var random = new Random(5);
        var rungs = new List<int>();
        for (var period = 0; period < 4; period++)
        {
            Run(tuner, sketch, periods: 1, i => i % 2 == 0 ? random.Next(Capacity * 9 / 10) : 1_000_000 + (period * 100_000) + i);
            rungs.Add(tuner.Rung);
        }

        // The first period fills the shadows and the sketch; after it the window only comes down, a rung at a time.
        Assert.Equal(rungs.OrderByDescending(rung => rung), rungs);
        Assert.True(rungs[^1] < 3, $"rungs {string.Join(", ", rungs)}");
        Assert.All(rungs.Zip(rungs.Skip(1)), pair => Assert.InRange(pair.First - pair.Second, 0, 1));
    }

    private static void Run(WindowTuner tuner, CountMinSketch sketch, int periods, Func<int, int> key)
    {
        for (var i = 0; i < periods * sketch.SampleSize; i++)
        {
            var hash = Hash(key(i));
            sketch.Increment(hash);
            tuner.Record(hash, margin: 1);
        }
    }

    // Scrambled like KeyHash, with the two low bits clear as TinyLfuPolicy stores them.
    private static int Hash(int key) => (int)((uint)key * 0x2722_0A95u) & ~3;
}
