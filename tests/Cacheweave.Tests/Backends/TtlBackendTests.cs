using Cacheweave.Backends;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends;

/// <summary>
/// <see cref="TtlBackend"/>: entries live for their time to live; with a capacity, the entry that would expire
/// soonest goes, and among those the one written first. Reads change nothing.
/// </summary>
public sealed class TtlBackendTests
{
    private static readonly TimeSpan DefaultTimeToLive = TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Without_a_capacity_it_holds_every_live_entry()
    {
        using var backend = new TtlBackend(DefaultTimeToLive, timeProvider: _time);

        for (var i = 0; i < 10_000; i++)
        {
            backend.Put($"k{i}");
        }

        Assert.Equal(10_000, backend.Count);
        Assert.Equal(0, backend.Statistics.Evictions);
    }

    [Fact]
    public void Without_a_capacity_expiry_alone_bounds_it()
    {
        using var backend = new TtlBackend(TimeSpan.FromSeconds(1), timeProvider: _time);
        for (var i = 0; i < 1_000; i++)
        {
            backend.Put($"k{i}");
        }

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, backend.Count);
        Assert.Equal(1_000, backend.Statistics.Expirations);
    }

    [Fact]
    public void Evicts_the_entry_that_would_expire_soonest()
    {
        using var backend = Create(capacity: 3);
        backend.Put("a", TimeSpan.FromSeconds(5));
        backend.Put("b", TimeSpan.FromSeconds(2));
        backend.Put("c", TimeSpan.FromSeconds(9));

        backend.Put("d");

        Assert.Equal(["a", "c", "d"], backend.LiveKeys());
    }

    [Fact]
    public void Among_entries_expiring_at_the_same_instant_the_first_written_goes()
    {
        using var backend = Create(capacity: 3);
        var removals = new RemovalRecorder(backend);
        backend.Put("a", TimeSpan.FromSeconds(3));
        _time.Advance(TimeSpan.FromSeconds(0.5));
        backend.Put("c", TimeSpan.FromSeconds(5));
        backend.Put("b", TimeSpan.FromSeconds(2.5));   // expires with a, written after it

        backend.PutAll("d", "e");

        Assert.Equal(["a", "b"], removals.KeysWith(CacheRemovalReason.Evicted));
    }

    [Fact]
    public void Entries_written_together_with_the_same_time_to_live_go_in_write_order()
    {
        using var backend = Create(capacity: 3);
        var removals = new RemovalRecorder(backend);

        backend.PutAll("a", "b", "c", "d", "e", "f");

        Assert.Equal(["a", "b", "c"], removals.KeysWith(CacheRemovalReason.Evicted));
    }

    [Fact]
    public void Reads_do_not_change_which_entry_goes()
    {
        using var backend = Create(capacity: 3);
        backend.PutAll("a", "b", "c");

        backend.Read("a", times: 100);
        Assert.True(backend.TryGet<string>("a", out _));
        backend.Put("d");

        Assert.Equal(["b", "c", "d"], backend.LiveKeys());
    }

    [Fact]
    public void A_replacing_put_counts_as_a_new_write()
    {
        using var backend = Create(capacity: 3);
        backend.PutAll("a", "b", "c");

        backend.Put("a");                  // same expiry instant as b and c, but now the latest write
        backend.Put("d");

        Assert.Equal(["a", "c", "d"], backend.LiveKeys());
    }

    [Fact]
    public void A_replacing_put_with_a_shorter_time_to_live_makes_the_entry_the_next_to_go()
    {
        using var backend = Create(capacity: 3);
        backend.PutAll("a", "b", "c");

        backend.Put("c", TimeSpan.FromSeconds(1));
        backend.Put("d");

        Assert.Equal(["a", "b", "d"], backend.LiveKeys());
    }

    [Fact]
    public void A_replacing_put_with_a_longer_time_to_live_moves_the_entry_back()
    {
        using var backend = Create(capacity: 3);
        backend.Put("a", TimeSpan.FromSeconds(1));
        backend.PutAll("b", "c");

        backend.Put("a", TimeSpan.FromMinutes(5));
        backend.Put("d");

        Assert.Equal(["a", "c", "d"], backend.LiveKeys());
    }

    [Fact]
    public void An_older_entry_with_a_longer_life_outlasts_a_newer_one_with_a_shorter_life()
    {
        using var backend = Create(capacity: 2);
        backend.Put("old", TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(0.5));
        backend.Put("new", TimeSpan.FromSeconds(1));

        backend.Put("newest", TimeSpan.FromSeconds(10));

        Assert.Equal(["newest", "old"], backend.LiveKeys());
    }

    private TtlBackend Create(int capacity) => new(DefaultTimeToLive, capacity, _time);
}
