using Cacheweave.Backends;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends;

/// <summary>Changing an in-memory backend's limits at run time: lowering one trims at once, by the policy, announced.</summary>
public sealed class ResizeTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Resize_below_the_count_evicts_the_least_recently_used_at_once_and_announces_them()
    {
        using var backend = new LruBackend(5, _time);
        var removals = new RemovalRecorder(backend);
        backend.PutAll("a", "b", "c", "d", "e");
        backend.Read("a", times: 1);

        backend.Resize(2);

        Assert.Equal(["b", "c", "d"], removals.KeysWith(CacheRemovalReason.Evicted));
        Assert.Equal(["a", "e"], backend.LiveKeys());
        Assert.Equal((2, (long)2), (backend.Capacity, backend.Count));
        Assert.Equal(3, backend.Statistics.Evictions);
    }

    [Fact]
    public void Resize_of_a_fifo_backend_evicts_the_first_inserted_whatever_was_read()
    {
        using var backend = new FifoBackend(4, _time);
        var removals = new RemovalRecorder(backend);
        backend.PutAll("a", "b", "c", "d");
        backend.Read("a", times: 3);

        backend.Resize(1);

        Assert.Equal(["a", "b", "c"], removals.KeysWith(CacheRemovalReason.Evicted));
        Assert.Equal(["d"], backend.LiveKeys());
    }

    [Fact]
    public void Growing_the_capacity_lets_more_entries_stay()
    {
        using var backend = new LruBackend(2, _time);
        backend.Resize(4);

        backend.PutAll("a", "b", "c", "d");

        Assert.Equal(["a", "b", "c", "d"], backend.LiveKeys());
        Assert.Equal(0, backend.Statistics.Evictions);
    }

    [Fact]
    public void Resize_gives_a_capacity_to_a_backend_bounded_only_by_expiry()
    {
        using var backend = new TtlBackend(TimeSpan.FromMinutes(1), capacity: null, _time);
        backend.PutAll("a", "b", "c");

        backend.Resize(1);
        backend.Put("d");

        Assert.Equal(1, backend.Capacity);
        Assert.Equal(["d"], backend.LiveKeys());
    }

    [Fact]
    public void ResizeBytes_below_the_bytes_held_evicts_by_policy_until_they_fit()
    {
        using var backend = InMemoryBackends.CreateWithByteBudget(BackendPolicy.Lru, capacity: null, maxBytes: 100, _time);
        var removals = new RemovalRecorder(backend);
        backend.PutSized("a", 1, 30);
        backend.PutSized("b", 2, 30);
        backend.PutSized("c", 3, 30);
        Assert.True(backend.TryGet<int>("a", out _));

        backend.ResizeBytes(60);

        Assert.Equal(["b"], removals.KeysWith(CacheRemovalReason.Evicted));
        Assert.Equal(["a", "c"], backend.LiveKeys());
        Assert.Equal(((long?)60, 60L), (backend.MaxBytes, backend.Bytes));
    }

    [Fact]
    public void ResizeBytes_drops_expired_entries_before_evicting_live_ones()
    {
        using var backend = InMemoryBackends.CreateWithByteBudget(BackendPolicy.Fifo, capacity: null, maxBytes: 100, _time);
        var removals = new RemovalRecorder(backend);
        backend.PutSized("oldest", 1, 40);
        backend.PutSized("short-lived", 2, 40, TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(2));

        backend.ResizeBytes(50);

        Assert.Equal(["oldest"], backend.LiveKeys());
        Assert.Equal(["short-lived"], removals.KeysWith(CacheRemovalReason.Expired));
        Assert.Empty(removals.KeysWith(CacheRemovalReason.Evicted));
    }

    [Fact]
    public void A_raised_byte_budget_takes_entries_that_did_not_fit_before()
    {
        using var backend = InMemoryBackends.CreateWithByteBudget(BackendPolicy.Lfu, capacity: null, maxBytes: 10, _time);
        Assert.Throws<CacheEntryTooLargeException>(() => backend.Set("big", 1, new CacheEntryOptions { Size = 20 }));

        backend.ResizeBytes(20);
        backend.PutSized("big", 1, 20);

        Assert.Equal(["big"], backend.LiveKeys());
    }

    [Fact]
    public void ResizeBytes_on_a_backend_created_without_a_byte_budget_throws()
    {
        using var backend = new LruBackend(10, _time);

        Assert.Throws<InvalidOperationException>(() => backend.ResizeBytes(100));
        Assert.Null(backend.MaxBytes);
    }

    [Fact]
    public void Limits_below_one_are_refused_naming_the_parameter()
    {
        using var backend = InMemoryBackends.CreateWithByteBudget(BackendPolicy.Lru, capacity: 5, maxBytes: 100, _time);

        Assert.Equal("capacity", Assert.Throws<ArgumentOutOfRangeException>(() => backend.Resize(0)).ParamName);
        Assert.Equal("maxBytes", Assert.Throws<ArgumentOutOfRangeException>(() => backend.ResizeBytes(0)).ParamName);
        Assert.Equal((5, (long?)100), (backend.Capacity, backend.MaxBytes));
    }

    [Fact]
    public void Resize_of_a_disposed_backend_throws()
    {
        var backend = new FifoBackend(5, _time);
        backend.Dispose();

        Assert.Throws<ObjectDisposedException>(() => backend.Resize(3));
    }
}
