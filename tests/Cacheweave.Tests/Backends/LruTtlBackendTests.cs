using Cacheweave.Backends;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends;

/// <summary><see cref="LruTtlBackend"/>: entries expire after their time to live, and when it is full of live entries the least recently used goes.</summary>
public sealed class LruTtlBackendTests
{
    private static readonly TimeSpan DefaultTimeToLive = TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Evicts_the_least_recently_used_entry_not_the_soonest_to_expire()
    {
        using var backend = Create(capacity: 3);
        backend.Put("a", TimeSpan.FromSeconds(5));
        backend.PutAll("b", "c");

        backend.Read("a");
        backend.Put("d");

        Assert.Equal(["a", "c", "d"], backend.LiveKeys());
    }

    [Fact]
    public void A_hit_or_a_replacing_put_makes_the_entry_the_most_recently_used()
    {
        using var backend = Create(capacity: 3);
        var removals = new RemovalRecorder(backend);
        backend.PutAll("a", "b", "c");

        backend.Read("a");
        backend.Put("b");
        backend.PutAll("d", "e");

        Assert.Equal(["c", "a"], removals.KeysWith(CacheRemovalReason.Evicted));
    }

    [Fact]
    public void An_expired_entry_goes_before_the_least_recently_used_live_one()
    {
        using var backend = Create(capacity: 3);
        var removals = new RemovalRecorder(backend);
        backend.PutAll("a", "b");
        backend.Put("c", TimeSpan.FromSeconds(1));
        backend.Read("c");
        _time.Advance(TimeSpan.FromSeconds(1));

        backend.Put("d");

        Assert.Equal(["a", "b", "d"], backend.LiveKeys());
        Assert.Equal([("c", (object?)"value of c", CacheRemovalReason.Expired)], removals.Removals);
    }

    [Fact]
    public void Entries_take_the_default_time_to_live_and_a_read_does_not_extend_it()
    {
        using var backend = new LruTtlBackend(3, TimeSpan.FromSeconds(2), _time);
        backend.Put("a");
        _time.Advance(TimeSpan.FromSeconds(1.5));
        backend.Read("a");

        _time.Advance(TimeSpan.FromSeconds(0.5));

        Assert.False(backend.Read("a").HasValue);
    }

    private LruTtlBackend Create(int capacity) => new(capacity, DefaultTimeToLive, _time);
}
