using System.Diagnostics;
using Cacheweave.Backends;
using Cacheweave.Backends.Expiry;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends;

/// <summary>
/// The cheap paths of the in-memory engine keep its semantics: a write over a live expiring entry reuses the entry
/// (its expiry is pushed forward and re-filed lazily), a single reader never loses a recorded hit however often its
/// stripe of the access buffer fills, and the coarse clock that spares most hits a precise timestamp never runs
/// behind the precise one.
/// </summary>
public sealed class InMemoryBackendWriteInPlaceTests
{
    private readonly FakeTimeProvider _time = new();

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void A_rewrite_of_a_live_expiring_entry_restarts_its_time_to_live(BackendPolicy policy)
    {
        using var backend = InMemoryBackends.Create(policy, 10, _time);
        var removals = new RemovalRecorder(backend);
        backend.Set("k", "first", CacheEntryOptions.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(6));

        backend.Set("k", "second", CacheEntryOptions.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal(new CacheResult<TimeSpan?>(TimeSpan.FromSeconds(4)), backend.GetTimeToLive("k"));
        Assert.Equal("second", backend.Read("k").Value);
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(backend.Read("k").HasValue);
        Assert.Equal([("k", (object?)"first", CacheRemovalReason.Replaced), ("k", "second", CacheRemovalReason.Expired)], removals.Removals);
        Assert.Equal(0, backend.Count);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void The_sweep_keeps_an_entry_that_a_rewrite_gave_a_later_expiry_and_drops_it_at_that_expiry(BackendPolicy policy)
    {
        using var backend = InMemoryBackends.Create(policy, 10, _time);
        var removals = new RemovalRecorder(backend);
        backend.Set("k", "first", CacheEntryOptions.FromSeconds(2));
        _time.Advance(TimeSpan.FromSeconds(1.5));
        backend.Set("k", "second", CacheEntryOptions.FromSeconds(2));

        // The sweep at 2 s meets the entry under its first expiry, finds it pushed to 3.5 s, and re-files it.
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(backend.Holds("k"));
        _time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.True(backend.Holds("k"));
        Assert.Equal(1, backend.Count);
        Assert.Empty(removals.KeysWith(CacheRemovalReason.Expired));

        // The sweep at 4 s drops it.
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, backend.Count);
        Assert.Equal([("k", (object?)"first", CacheRemovalReason.Replaced), ("k", "second", CacheRemovalReason.Expired)], removals.Removals);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.WithDefaultTimeToLive), MemberType = typeof(InMemoryBackends))]
    public void A_rewrite_with_another_time_to_live_takes_that_time_to_live(BackendPolicy policy)
    {
        using var backend = InMemoryBackends.Create(policy, 10, _time);
        backend.Put("k");

        backend.Set("k", "short", CacheEntryOptions.FromSeconds(1));

        Assert.Equal(new CacheResult<TimeSpan?>(TimeSpan.FromSeconds(1)), backend.GetTimeToLive("k"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(backend.Read("k").HasValue);
    }

    [Theory]
    [InlineData(BackendPolicy.Lru)]
    [InlineData(BackendPolicy.LruTtl)]
    public void A_single_reader_never_loses_a_recorded_hit_however_many_it_records(BackendPolicy policy)
    {
        using var backend = InMemoryBackends.Create(policy, 3, _time);
        backend.PutAll("a", "b", "c");

        // Many times the access buffer's size: the stripe fills and is replayed by this thread again and again.
        for (var round = 0; round < 200; round++)
        {
            backend.Read("c", times: 50);
            backend.Read("a", times: 1);
            backend.Read("b", times: 1);
        }

        backend.Put("d");

        // c was used most but least recently: only a lost record of a or b could save it.
        Assert.Equal(["a", "b", "d"], backend.LiveKeys());
    }

    [Fact]
    public void The_coarse_upper_bound_of_the_clock_is_never_behind_the_precise_clock_nor_far_ahead_of_it()
    {
        var slack = (CoarseTimestamp.MarginMilliseconds + 100) * Stopwatch.Frequency / 1000;
        for (var i = 0; i < 200_000; i++)
        {
            var before = Stopwatch.GetTimestamp();
            var bound = CoarseTimestamp.UpperBound();
            var after = Stopwatch.GetTimestamp();
            Assert.True(bound >= before, $"The bound {bound} is behind the precise clock {before}.");
            Assert.True(bound <= after + slack, $"The bound {bound} is more than the margin ahead of the precise clock {after}.");
        }
    }
}
