using Cacheweave.Backends;
using Cacheweave.Tests.Traces;

namespace Cacheweave.Tests.Backends;

/// <summary>
/// Replays the OLTP trace of Megiddo and Modha, "ARC: A Self-Tuning, Low Overhead Replacement Cache" (FAST 2003)
/// through <see cref="TinyLfuBackend"/> (cold start; read, and write on a miss). W-TinyLFU must beat exact LRU's
/// 32.83% there by a wide margin: BitFaster's <c>ConcurrentLfu</c> publishes 39.95% at 1,000 entries.
/// </summary>
public sealed class TinyLfuTraceHitRatioTests
{
    // Read once for the three OLTP tests (914,145 requests).
    private static readonly Lazy<string[]> Oltp = new(() => TraceReplay.Keys("OLTP.lis.gz", TraceFormat.Arc));

    [Fact]
    public void TinyLfu_replay_of_the_oltp_trace_hits_at_least_40_percent_at_1000_entries()
    {
        var keys = Oltp.Value;
        using var backend = new TinyLfuBackend(1_000);

        var hits = TraceReplay.Hits(backend, keys);

        var percent = 100.0 * hits / keys.Length;
        Assert.True(percent >= 40.0, $"TinyLFU hit {percent:0.00}% of the OLTP trace at 1,000 entries; expected at least 40%.");
        Assert.Equal(hits, backend.Statistics.Hits);
        Assert.Equal(1_000, backend.Count);
    }

    [Fact]
    public void TinyLfu_replay_of_the_oltp_trace_at_250_entries_beats_concurrent_lfu()
    {
        // ConcurrentLfu gets 24.59% here (the lab, deterministic). With the admission margin fixed at two uses
        // ahead TinyLFU got 24.23%; on OLTP a candidate one use ahead of the victim is more often requested again
        // first, so AdmissionMargin keeps admitting on one use: 24.72% with the window tuned by shadows.
        var keys = Oltp.Value;
        using var backend = new TinyLfuBackend(250);

        var percent = 100.0 * TraceReplay.Hits(backend, keys) / keys.Length;

        Assert.True(percent >= 24.65, $"TinyLFU hit {percent:0.00}% of the OLTP trace at 250 entries; ConcurrentLfu gets 24.59%.");
    }

    [Fact]
    public void TinyLfu_replay_of_the_oltp_trace_at_5000_entries_is_within_a_tenth_of_a_point_of_concurrent_lfu()
    {
        // ConcurrentLfu gets 55.20% here (the lab, deterministic). A hill climber comparing the hit rate from one
        // period to the next followed OLTP's phases: 53.95%, then 54.98% once it turned round at the window's floor.
        // Shadows of other window sizes compare on the same requests and take the window to half the cache: 55.16%
        // (55.38% while the admission margin started at two uses ahead).
        var keys = Oltp.Value;
        using var backend = new TinyLfuBackend(5_000);

        var percent = 100.0 * TraceReplay.Hits(backend, keys) / keys.Length;

        Assert.True(percent >= 55.1, $"TinyLFU hit {percent:0.00}% of the OLTP trace at 5,000 entries; ConcurrentLfu gets 55.20%.");
    }

    [Theory]
    [InlineData(500, 33.3)] // ConcurrentLfu 33.25%; 32.39% while a hill climber's first move always grew the window.
    [InlineData(750, 43.5)] // ConcurrentLfu 43.51%; 41.48% while the admission margin started at two uses ahead.
    public void TinyLfu_replay_of_the_gli_trace_is_within_half_a_point_of_concurrent_lfu(int capacity, double least)
    {
        // gli is short (6,015 requests): no sketch or tuner period ends, so the initial window (1%) and the admission
        // margin decide. Between requests 2,850 and 4,350 candidates one use ahead of their victims come back first;
        // a learner that starts at two uses ahead hears of it only after that phase.
        var percent = Replay("gli.trace.gz", capacity);

        Assert.True(percent >= least, $"TinyLFU hit {percent:0.00}% of the gli trace at {capacity} entries; expected at least {least}%.");
    }

    [Fact]
    public void TinyLfu_replay_of_the_cs_trace_at_850_entries_is_within_half_a_point_of_concurrent_lfu()
    {
        // ConcurrentLfu gets 49.99% here (the lab, deterministic); either admission margin kept throughout gets
        // 49.6%. A learner that raised the margin at a lead of two verdicts switched midway and got 49.08%.
        var percent = Replay("cs.trace.gz", 850);

        Assert.True(percent >= 49.6, $"TinyLFU hit {percent:0.00}% of the cs trace at 850 entries; ConcurrentLfu gets 49.99%.");
    }

    private static double Replay(string file, int capacity)
    {
        var keys = TraceReplay.Keys(file, TraceFormat.Lirs);
        using var backend = new TinyLfuBackend(capacity);

        return 100.0 * TraceReplay.Hits(backend, keys) / keys.Length;
    }
}
