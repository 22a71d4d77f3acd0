using Cacheweave.Backends;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends;

/// <summary>
/// <see cref="LfuBackend"/>: the entry with the lowest use count goes, and among those the one that reached that
/// count first. A new entry counts 1; a hit and a replacing write add 1; a count dies with its entry.
/// </summary>
public sealed class LfuBackendTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Evicts_the_least_frequently_used_entry()
    {
        using var backend = new LfuBackend(3, _time);
        backend.PutAll("a", "b", "c");
        backend.Read("a", times: 2);
        backend.Read("c", times: 1);

        backend.Put("d");

        Assert.Equal(["a", "c", "d"], backend.LiveKeys());
    }

    [Fact]
    public void A_new_entry_goes_before_older_entries_that_were_used_more()
    {
        using var backend = new LfuBackend(3, _time);
        var removals = new RemovalRecorder(backend);
        backend.PutAll("a", "b", "c");
        backend.Read("a");
        backend.Read("b");
        backend.Read("c");

        backend.Put("d");                  // a, the first to reach 2
        backend.PutAll("e", "f");          // each newcomer, at 1, goes before b and c at 2

        Assert.Equal(["a", "d", "e"], removals.KeysWith(CacheRemovalReason.Evicted));
        Assert.Equal(["b", "c", "f"], backend.LiveKeys());
    }

    [Fact]
    public void Among_equally_used_entries_the_one_that_reached_that_count_first_goes()
    {
        using var backend = new LfuBackend(3, _time);
        var removals = new RemovalRecorder(backend);
        backend.PutAll("a", "b", "c");
        backend.Read("b");                 // b reaches 2 first,
        backend.Read("a");                 // then a; c stays at 1.

        backend.Put("d");                  // c, the only one at 1
        backend.Put("e");                  // d, the only one at 1
        backend.Read("e");                 // e reaches 2 last
        backend.Put("f");                  // b, the first to reach 2

        Assert.Equal(["c", "d", "b"], removals.KeysWith(CacheRemovalReason.Evicted));
        Assert.Equal(["a", "e", "f"], backend.LiveKeys());
    }

    [Fact]
    public void Among_entries_written_and_never_read_the_first_written_goes()
    {
        using var backend = new LfuBackend(3, _time);
        var removals = new RemovalRecorder(backend);

        backend.PutAll("a", "b", "c", "d");
        backend.Read("d");
        backend.PutAll("e", "f");

        Assert.Equal(["a", "b", "c"], removals.KeysWith(CacheRemovalReason.Evicted));
    }

    [Fact]
    public void A_replacing_put_keeps_the_count_and_adds_one()
    {
        using var backend = new LfuBackend(3, _time);
        var removals = new RemovalRecorder(backend);
        backend.PutAll("a", "b", "c");
        backend.Read("a", times: 2);       // a at 3
        backend.Put("a");                  // a at 4: the write adds to the count instead of resetting it
        backend.Read("b", times: 2);       // b at 3
        backend.Put("c");                  // c at 2

        backend.Put("d");                  // c (2)
        backend.Put("e");                  // d (1)
        backend.Read("e", times: 2);       // e at 3, after b
        backend.Put("f");                  // b: the first at 3, so a, at 4, must not be at 3

        Assert.Equal(["c", "d", "b"], removals.KeysWith(CacheRemovalReason.Evicted));
        Assert.Equal(["a", "e", "f"], backend.LiveKeys());
    }

    [Fact]
    public void A_replacing_put_makes_the_entry_the_latest_to_reach_its_count()
    {
        using var backend = new LfuBackend(3, _time);
        var removals = new RemovalRecorder(backend);
        backend.PutAll("a", "b", "c");
        backend.Read("a");                 // a reaches 2
        backend.Read("b");                 // b reaches 2
        backend.Put("c");                  // c, written first, reaches 2 last

        backend.Put("d");                  // a
        backend.Put("e");                  // d, alone at 1
        backend.Read("e");                 // e reaches 2, latest of all
        backend.Put("f");                  // b

        Assert.Equal(["a", "d", "b"], removals.KeysWith(CacheRemovalReason.Evicted));
        Assert.Equal(["c", "e", "f"], backend.LiveKeys());
    }

    [Fact]
    public void A_key_written_again_after_removal_starts_again_from_one()
    {
        using var backend = new LfuBackend(3, _time);
        backend.Put("a");
        backend.Read("a", times: 10);
        backend.PutAll("b", "c");
        Synchronously.Result(backend.RemoveAsync("a"));
        backend.Put("a");                  // the newest entry at 1
        backend.Read("b");
        backend.Read("c");

        backend.Put("d");

        Assert.Equal(["b", "c", "d"], backend.LiveKeys());
    }

    [Fact]
    public void A_key_written_again_after_eviction_starts_again_from_one()
    {
        using var backend = new LfuBackend(2, _time);
        var removals = new RemovalRecorder(backend);
        backend.Put("a");
        backend.Read("a", times: 5);       // a at 6
        backend.Put("b");
        backend.Read("b", times: 9);       // b at 10
        backend.Put("c");                  // evicts a, the less used
        Synchronously.Result(backend.RemoveAsync("b"));
        backend.Put("a");                  // a is back at 1, not 7
        backend.Read("c", times: 2);       // c at 3

        backend.Put("x");                  // a goes, not c

        Assert.Equal(["a", "a"], removals.KeysWith(CacheRemovalReason.Evicted));
        Assert.Equal(["c", "x"], backend.LiveKeys());
    }

    [Fact]
    public void A_key_written_again_after_expiry_starts_again_from_one()
    {
        using var backend = new LfuBackend(2, _time);
        backend.Put("a", TimeSpan.FromSeconds(0.5));
        backend.Read("a", times: 5);
        backend.Put("b");
        backend.Read("b");                 // b at 2
        _time.Advance(TimeSpan.FromSeconds(0.5));
        backend.Put("a");                  // a is back at 1, not 7

        backend.Put("c");

        Assert.Equal(["b", "c"], backend.LiveKeys());
    }

    [Fact]
    public void Counts_stay_exact_over_many_hits()
    {
        // Far more hits than any access buffer holds: every one must reach the count.
        using var backend = new LfuBackend(3, _time);
        backend.PutAll("a", "b", "c");
        backend.Read("a", times: 1_000);
        backend.Read("b", times: 999);
        backend.Read("c", times: 1_001);

        backend.Put("d");
        Assert.Equal(["a", "c", "d"], backend.LiveKeys());

        backend.Put("e");
        Assert.Equal(["a", "c", "e"], backend.LiveKeys());
    }

    [Fact]
    public void A_miss_changes_no_count()
    {
        using var backend = new LfuBackend(2, _time);
        backend.PutAll("a", "b");
        backend.Read("b");
        for (var i = 0; i < 10; i++)
        {
            Assert.False(backend.Read("c").HasValue);
        }

        backend.Put("c");                  // a (1) goes: the misses on c counted nothing

        backend.Put("d");                  // c (1) goes, b (2) stays
        Assert.Equal(["b", "d"], backend.LiveKeys());
    }
}
