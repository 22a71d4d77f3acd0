using System.Globalization;
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
    [Fact]
    public void TinyLfu_replay_of_the_oltp_trace_hits_at_least_40_percent_at_1000_entries()
    {
        var keys = OltpKeys();
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
        // ahead TinyLFU got 24.23%; AdmissionMargin learns that on OLTP a candidate one use ahead of the victim is
        // more often requested again first, and admits on one use: 24.69% with the window tuned by shadows.
        var keys = OltpKeys();
        using var backend = new TinyLfuBackend(250);

        var percent = 100.0 * TraceReplay.Hits(backend, keys) / keys.Length;

        Assert.True(percent >= 24.65, $"TinyLFU hit {percent:0.00}% of the OLTP trace at 250 entries; ConcurrentLfu gets 24.59%.");
    }

    [Fact]
    public void TinyLfu_replay_of_the_oltp_trace_at_5000_entries_beats_concurrent_lfu()
    {
        // ConcurrentLfu gets 55.20% here (the lab, deterministic). A hill climber comparing the hit rate from one
        // period to the next followed OLTP's phases: 53.95%, then 54.98% once it turned round at the window's floor.
        // Shadows of other window sizes compare on the same requests and take the window to half the cache: 55.38%.
        var keys = OltpKeys();
        using var backend = new TinyLfuBackend(5_000);

        var percent = 100.0 * TraceReplay.Hits(backend, keys) / keys.Length;

        Assert.True(percent >= 55.3, $"TinyLFU hit {percent:0.00}% of the OLTP trace at 5,000 entries; ConcurrentLfu gets 55.20%.");
    }

    [Fact]
    public void TinyLfu_replay_of_the_gli_trace_at_500_entries_is_within_half_a_point_of_concurrent_lfu()
    {
        // ConcurrentLfu gets 33.25% here (the lab, deterministic). TinyLFU got 32.39% while a hill climber's first
        // move always grew the window; the window tuner finds no clear winner in gli's one period and keeps the
        // initial 1% window: 32.93%.
        var names = new Dictionary<long, string>();
        var keys = TraceReader.ReadFile(TraceDirectory.GetFile("gli.trace.gz"), TraceFormat.Lirs)
            .Select(block => names.TryGetValue(block, out var name) ? name : names[block] = block.ToString(CultureInfo.InvariantCulture))
            .ToArray();
        using var backend = new TinyLfuBackend(500);

        var percent = 100.0 * TraceReplay.Hits(backend, keys) / keys.Length;

        Assert.True(percent >= 32.9, $"TinyLFU hit {percent:0.00}% of the gli trace at 500 entries; ConcurrentLfu gets 33.25%.");
    }

    private static string[] OltpKeys()
    {
        var names = new Dictionary<long, string>();
        return TraceReader.ReadFile(TraceDirectory.GetFile("OLTP.lis.gz"), TraceFormat.Arc)
            .Select(block => names.TryGetValue(block, out var name) ? name : names[block] = block.ToString(CultureInfo.InvariantCulture))
            .ToArray();
    }
}
