using System.Globalization;
using Cacheweave.Backends.Engine;
using Cacheweave.Backends.Lfu;
using Cacheweave.Tests.Traces;

namespace Cacheweave.Tests.Backends.Lfu;

/// <summary>
/// Drives <see cref="TinyLfuPolicy"/> the way the engine does (a hit replays an access; a miss makes room, then adds)
/// over two committed traces that want different admission margins, and checks what <see cref="AdmissionMargin"/>
/// settled on.
/// </summary>
public sealed class TinyLfuMarginTraceTests
{
    [Fact]
    public void The_loop_trace_keeps_the_margin_at_one()
    {
        // A loop over 1,011 keys: the resident is always requested again before the candidate that just went by.
        var keys = TraceReader.ReadFile(TraceDirectory.GetFile("loop.trace.gz"), TraceFormat.Lirs)
            .Select(block => block.ToString(CultureInfo.InvariantCulture));

        var policy = Replay(100, keys);

        Assert.Equal(1, policy.Margin);
    }

    [Fact]
    public void The_oltp_trace_lowers_the_margin_to_zero()
    {
        var keys = TraceReader.ReadFile(TraceDirectory.GetFile("OLTP.lis.gz"), TraceFormat.Arc)
            .Select(block => block.ToString(CultureInfo.InvariantCulture));

        var policy = Replay(250, keys);

        Assert.Equal(0, policy.Margin);
    }

    [Fact]
    public void The_gli_trace_at_500_entries_makes_a_first_move_that_shrinks_the_window()
    {
        // gli's one complete sample period at 500 entries sees more main-region victims than window candidates
        // requested again soon after they left, so the window shrinks from its initial 5 entries (it grew to 36 when
        // the first move always grew it).
        var keys = TraceReader.ReadFile(TraceDirectory.GetFile("gli.trace.gz"), TraceFormat.Lirs)
            .Select(block => block.ToString(CultureInfo.InvariantCulture));

        var policy = Replay(500, keys);

        Assert.True(policy.WindowMaximum < 5, $"window {policy.WindowMaximum}");
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
