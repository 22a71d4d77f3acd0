using Cacheweave.Backends.Engine;
using Cacheweave.Backends.Lfu;
using Cacheweave.Tests.Traces;

namespace Cacheweave.Tests.Backends.Lfu;

/// <summary>
/// Drives <see cref="TinyLfuPolicy"/> the way the engine does (a hit replays an access; a miss makes room, then adds)
/// over the committed traces, and checks what <see cref="AdmissionMargin"/> and <see cref="WindowTuner"/> settled on.
/// </summary>
public sealed class TinyLfuMarginTraceTests
{
    [Fact]
    public void The_loop_trace_raises_the_margin_to_one()
    {
        // A loop over 1,011 keys: the resident is always requested again before the candidate that just went by.
        var keys = TraceReplay.Keys("loop.trace.gz", TraceFormat.Lirs);

        var policy = Replay(100, keys);

        Assert.Equal(1, policy.Margin);
        Assert.True(policy.MarginScore >= AdmissionMargin.RaiseScore, $"score {policy.MarginScore}");
    }

    [Fact]
    public void The_oltp_trace_keeps_the_margin_at_zero_with_candidates_winning()
    {
        var keys = TraceReplay.Keys("OLTP.lis.gz", TraceFormat.Arc);

        var policy = Replay(250, keys);

        Assert.Equal(0, policy.Margin);
        Assert.True(policy.MarginScore <= AdmissionMargin.LowerScore, $"score {policy.MarginScore}");
    }

    [Fact]
    public void The_loop_trace_takes_the_window_down_to_one_entry()
    {
        // A loop wants every entry in the frequency-guarded main region: the shadow with a one-entry window keeps
        // hitting where the 1% window's shadow misses.
        var policy = Replay(100, TraceReplay.Keys("loop.trace.gz", TraceFormat.Lirs));

        Assert.Equal(0, policy.WindowRung);
        Assert.Equal(1, policy.WindowMaximum);
    }

    [Fact]
    public void The_oltp_trace_at_5000_entries_grows_the_window_to_half_the_cache()
    {
        // OLTP's phases favour recency at this size: the window climbs the ladder one rung per period, to 50%.
        var policy = Replay(5_000, TraceReplay.Keys("OLTP.lis.gz", TraceFormat.Arc));

        Assert.Equal(4, policy.WindowRung);
        Assert.Equal(2_500, policy.WindowMaximum);
    }

    [Fact]
    public void The_gli_trace_at_500_entries_has_no_clear_winner_and_keeps_the_initial_window()
    {
        // One period of 5,000 requests, sampled one key in 16: no rung beats the 1% window by two standard
        // deviations, so it stays.
        var policy = Replay(500, TraceReplay.Keys("gli.trace.gz", TraceFormat.Lirs));

        Assert.Equal(1, policy.WindowRung);
        Assert.Equal(5, policy.WindowMaximum);
    }

    private static TinyLfuPolicy Replay(int capacity, IEnumerable<string> keys)
    {
        var policy = new TinyLfuPolicy(capacity);
        var entries = new Dictionary<string, CacheEntry>();
        foreach (var key in keys)
        {
            if (entries.TryGetValue(key, out var entry))
            {
                policy.OnAccessed(entry);
                continue;
            }

            if (entries.Count >= capacity && policy.SelectVictim() is { } victim)
            {
                entries.Remove(victim.Key);
                policy.OnRemoved(victim);
            }

            entry = new CacheEntry(key, value: null);
            entries.Add(key, entry);
            policy.OnAdded(entry);
        }

        Assert.Equal(capacity, entries.Count);
        return policy;
    }
}
