using Cacheweave.Backends.Lfu;

namespace Cacheweave.Tests.Backends.Lfu;

public sealed class EvictionGhostsTests
{
    // A capacity of 80 gives a horizon of 10 departures. Hashes as the policy passes them: the two low bits clear.
    private const int Capacity = 80;
    private const int Horizon = 10;
    private const int Key = 4 * 12_345;

    [Fact]
    public void A_rejected_window_candidate_requested_again_is_a_window_return()
    {
        var ghosts = new EvictionGhosts(Capacity);
        ghosts.LeftWindow(Key, evicted: true);

        Assert.Equal(GhostRegion.Window, ghosts.Returned(Key));
    }

    [Fact]
    public void A_main_victim_requested_again_is_a_main_return()
    {
        var ghosts = new EvictionGhosts(Capacity);
        ghosts.LeftMain(Key);

        Assert.Equal(GhostRegion.Main, ghosts.Returned(Key));
    }

    [Fact]
    public void An_admitted_candidate_leaves_no_ghost()
    {
        var ghosts = new EvictionGhosts(Capacity);
        ghosts.LeftWindow(Key, evicted: false);

        Assert.Equal(GhostRegion.None, ghosts.Returned(Key));
    }

    [Fact]
    public void A_ghost_answers_once()
    {
        var ghosts = new EvictionGhosts(Capacity);
        ghosts.LeftMain(Key);
        ghosts.Returned(Key);

        Assert.Equal(GhostRegion.None, ghosts.Returned(Key));
    }

    [Fact]
    public void A_candidate_counts_only_within_the_horizon_of_window_departures_admitted_ones_included()
    {
        var within = new EvictionGhosts(Capacity);
        within.LeftWindow(Key, evicted: true);
        for (var i = 1; i < Horizon; i++)
        {
            within.LeftWindow(Key + (4 * i), evicted: false);
        }

        var beyond = new EvictionGhosts(Capacity);
        beyond.LeftWindow(Key, evicted: true);
        for (var i = 1; i <= Horizon; i++)
        {
            beyond.LeftWindow(Key + (4 * i), evicted: false);
        }

        Assert.Equal(GhostRegion.Window, within.Returned(Key));
        Assert.Equal(GhostRegion.None, beyond.Returned(Key));
    }

    [Fact]
    public void A_victim_counts_only_within_the_horizon_of_main_evictions_whatever_the_window_does()
    {
        var within = new EvictionGhosts(Capacity);
        within.LeftMain(Key);
        for (var i = 1; i < Horizon; i++)
        {
            within.LeftMain(Key + (4 * i));
            within.LeftWindow(Key - (4 * i), evicted: false);
            within.LeftWindow(Key - (4 * i), evicted: false);
        }

        var beyond = new EvictionGhosts(Capacity);
        beyond.LeftMain(Key);
        for (var i = 1; i <= Horizon; i++)
        {
            beyond.LeftMain(Key + (4 * i));
        }

        Assert.Equal(GhostRegion.Main, within.Returned(Key));
        Assert.Equal(GhostRegion.None, beyond.Returned(Key));
    }
}
