using Cacheweave.Backends;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends;

/// <summary>Times to live, on every in-memory backend: when an entry dies, and what its death looks like.</summary>
public sealed class InMemoryBackendExpiryTests
{
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    private readonly FakeTimeProvider _time = new();

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void An_entry_is_a_hit_until_its_time_to_live_has_passed_and_a_miss_from_that_instant(BackendPolicy policy)
    {
        foreach (var seconds in new[] { 0.25, 1.5, 2.75 })
        {
            var ttl = TimeSpan.FromSeconds(seconds);
            using var backend = Create(policy);
            backend.Put("k", ttl);

            _time.Advance(ttl - OneTick);
            Assert.True(backend.Read("k").HasValue, $"an entry with a time to live of {seconds}s died early");

            _time.Advance(OneTick);
            Assert.False(backend.Read("k").HasValue, $"an entry with a time to live of {seconds}s outlived it");
        }
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void An_expired_entry_is_a_miss_for_TryGet_too(BackendPolicy policy)
    {
        using var backend = Create(policy);
        Synchronously.Complete(backend.PutAsync("k", 7, CacheEntryOptions.FromSeconds(0.5)));

        Assert.True(backend.TryGet<int>("k", out var before));
        _time.Advance(TimeSpan.FromSeconds(0.5));

        Assert.False(backend.TryGet<int>("k", out var after));
        Assert.Equal(7, before);
        Assert.Equal(0, after);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Reading_an_expired_entry_counts_a_miss_and_an_expiration_and_announces_Expired(BackendPolicy policy)
    {
        using var backend = Create(policy);
        var removals = new RemovalRecorder(backend);
        backend.Put("k", TimeSpan.FromSeconds(0.5));
        _time.Advance(TimeSpan.FromSeconds(0.5));

        Assert.False(backend.Read("k").HasValue);

        Assert.Equal(new CacheStatistics(Hits: 0, Misses: 1, Evictions: 0, Expirations: 1, Count: 0), backend.Statistics);
        Assert.Equal([("k", (object?)"value of k", CacheRemovalReason.Expired)], removals.Removals);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Removing_an_expired_entry_returns_false_and_announces_Expired(BackendPolicy policy)
    {
        using var backend = Create(policy);
        var removals = new RemovalRecorder(backend);
        backend.Put("k", TimeSpan.FromSeconds(0.5));
        _time.Advance(TimeSpan.FromSeconds(0.5));

        Assert.False(Synchronously.Result(backend.RemoveAsync("k")));

        Assert.Equal([("k", (object?)"value of k", CacheRemovalReason.Expired)], removals.Removals);
        Assert.Equal(0, backend.Count);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Writing_over_an_expired_entry_announces_Expired_not_Replaced(BackendPolicy policy)
    {
        using var backend = Create(policy);
        var removals = new RemovalRecorder(backend);
        Synchronously.Complete(backend.PutAsync("k", "old", CacheEntryOptions.FromSeconds(0.5)));
        _time.Advance(TimeSpan.FromSeconds(0.5));

        Synchronously.Complete(backend.PutAsync("k", "new"));

        Assert.Equal([("k", (object?)"old", CacheRemovalReason.Expired)], removals.Removals);
        Assert.Equal("new", backend.Read("k").Value);
        Assert.Equal(1, backend.Count);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void A_hit_does_not_extend_the_time_to_live(BackendPolicy policy)
    {
        using var backend = Create(policy);
        backend.Put("k", TimeSpan.FromSeconds(2));

        for (var i = 0; i < 8; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(0.25) - OneTick);
            Assert.True(backend.Read("k").HasValue);
            _time.Advance(OneTick);
        }

        Assert.False(backend.Read("k").HasValue);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void A_replacing_put_restarts_the_time_to_live(BackendPolicy policy)
    {
        using var backend = Create(policy);
        backend.Put("k", TimeSpan.FromSeconds(2));
        _time.Advance(TimeSpan.FromSeconds(1.5));

        backend.Put("k", TimeSpan.FromSeconds(2));

        _time.Advance(TimeSpan.FromSeconds(2) - OneTick);
        Assert.True(backend.Read("k").HasValue);
        _time.Advance(OneTick);
        Assert.False(backend.Read("k").HasValue);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.WithoutDefaultTimeToLive), MemberType = typeof(InMemoryBackends))]
    public void Without_a_default_an_entry_written_without_a_time_to_live_never_expires(BackendPolicy policy)
    {
        using var backend = Create(policy);
        backend.Put("forever");

        _time.Advance(TimeSpan.FromDays(3650));

        Assert.True(backend.Read("forever").HasValue);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.WithoutDefaultTimeToLive), MemberType = typeof(InMemoryBackends))]
    public void Without_a_default_replacing_an_expiring_entry_without_a_time_to_live_makes_it_permanent(BackendPolicy policy)
    {
        using var backend = Create(policy);
        backend.Put("k", TimeSpan.FromSeconds(1));
        backend.Put("k");

        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.True(backend.Read("k").HasValue);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.WithDefaultTimeToLive), MemberType = typeof(InMemoryBackends))]
    public void The_default_time_to_live_applies_to_entries_written_without_one(BackendPolicy policy)
    {
        using var backend = Create(policy, defaultTtl: TimeSpan.FromSeconds(2.5));
        backend.Put("k");

        _time.Advance(TimeSpan.FromSeconds(2.5) - OneTick);
        Assert.True(backend.Read("k").HasValue);
        _time.Advance(OneTick);
        Assert.False(backend.Read("k").HasValue);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.WithDefaultTimeToLive), MemberType = typeof(InMemoryBackends))]
    public void A_per_entry_time_to_live_overrides_the_default_either_way(BackendPolicy policy)
    {
        using var backend = Create(policy, defaultTtl: TimeSpan.FromSeconds(10));
        backend.Put("short", TimeSpan.FromSeconds(2));
        backend.Put("default");
        backend.Put("long", TimeSpan.FromSeconds(20));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(["default", "long"], backend.LiveKeys());

        Advance(8);
        Assert.Equal(["long"], backend.LiveKeys());

        Advance(10);
        Assert.Empty(backend.LiveKeys());
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void CountAsync_drops_expired_entries_before_counting(BackendPolicy policy)
    {
        using var backend = Create(policy);
        var removals = new RemovalRecorder(backend);
        backend.Put("a", TimeSpan.FromSeconds(0.5));
        backend.Put("b");
        backend.Put("c", TimeSpan.FromSeconds(0.5));
        _time.Advance(TimeSpan.FromSeconds(0.5));

        Assert.Equal(1, Synchronously.Result(backend.CountAsync()));

        Assert.Equal(1, backend.Count);
        Assert.Equal(["a", "c"], removals.KeysWith(CacheRemovalReason.Expired).Order(StringComparer.Ordinal));
        Assert.Equal(2, backend.Statistics.Expirations);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Every_expired_entry_is_dropped_before_a_live_one_is_evicted_for_room(BackendPolicy policy)
    {
        using var backend = Create(policy, capacity: 4);
        var removals = new RemovalRecorder(backend);
        backend.PutAll("b", "c");
        backend.Put("a", TimeSpan.FromSeconds(0.5));
        backend.Put("e", TimeSpan.FromSeconds(0.5));

        // Make the doomed entries the most recently and most often used, so that no policy would pick them.
        backend.Read("a", times: 3);
        backend.Read("e", times: 3);
        _time.Advance(TimeSpan.FromSeconds(0.5));

        backend.Put("d");

        Assert.Equal(["b", "c", "d"], backend.LiveKeys());
        Assert.Equal(["a", "e"], removals.KeysWith(CacheRemovalReason.Expired).Order(StringComparer.Ordinal));
        Assert.Empty(removals.KeysWith(CacheRemovalReason.Evicted));
        Assert.Equal(0, backend.Statistics.Evictions);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Expired_entries_are_never_in_the_live_contents(BackendPolicy policy)
    {
        using var backend = Create(policy);
        backend.Put("a", TimeSpan.FromSeconds(0.75));
        backend.Put("b", TimeSpan.FromSeconds(0.5));

        _time.Advance(TimeSpan.FromSeconds(0.5));

        Assert.Equal(["a"], backend.LiveKeys());
    }

    private InMemoryBackend Create(BackendPolicy policy, int capacity = 100, TimeSpan? defaultTtl = null) =>
        InMemoryBackends.Create(policy, capacity, _time, defaultTtl);

    private void Advance(int seconds)
    {
        for (var i = 0; i < seconds; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
        }
    }
}
