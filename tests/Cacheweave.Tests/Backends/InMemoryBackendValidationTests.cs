using Cacheweave.Backends;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends;

/// <summary>Bad input and use after disposal, on every in-memory backend: clear exceptions, and nothing half done.</summary>
public sealed class InMemoryBackendValidationTests
{
    private readonly FakeTimeProvider _time = new();

    public static TheoryData<int> BadCapacities => new() { 0, -1, int.MinValue };

    public static TheoryData<TimeSpan> BadTimesToLive => new() { TimeSpan.Zero, TimeSpan.FromTicks(-1), TimeSpan.FromSeconds(-5), TimeSpan.MinValue };

    [Theory]
    [MemberData(nameof(BadCapacities))]
    public void A_capacity_below_one_is_rejected_naming_the_capacity(int capacity)
    {
        Assert.Equal("capacity", Assert.Throws<ArgumentOutOfRangeException>(() => new LruBackend(capacity)).ParamName);
        Assert.Equal("capacity", Assert.Throws<ArgumentOutOfRangeException>(() => new LfuBackend(capacity)).ParamName);
        Assert.Equal("capacity", Assert.Throws<ArgumentOutOfRangeException>(() => new TtlBackend(TimeSpan.FromSeconds(1), capacity)).ParamName);
        Assert.Equal("capacity", Assert.Throws<ArgumentOutOfRangeException>(() => new LruTtlBackend(capacity, TimeSpan.FromSeconds(1))).ParamName);
        Assert.Equal("capacity", Assert.Throws<ArgumentOutOfRangeException>(() => new FifoBackend(capacity)).ParamName);
    }

    [Theory]
    [MemberData(nameof(BadTimesToLive))]
    public void A_default_time_to_live_of_zero_or_less_is_rejected_naming_it(TimeSpan ttl)
    {
        Assert.Equal("defaultTtl", Assert.Throws<ArgumentOutOfRangeException>(() => new TtlBackend(ttl)).ParamName);
        Assert.Equal("defaultTtl", Assert.Throws<ArgumentOutOfRangeException>(() => new TtlBackend(ttl, 10)).ParamName);
        Assert.Equal("defaultTtl", Assert.Throws<ArgumentOutOfRangeException>(() => new LruTtlBackend(10, ttl)).ParamName);
    }

    [Fact]
    public void A_capacity_of_one_is_allowed()
    {
        using var lru = new LruBackend(1, _time);

        lru.PutAll("a", "b");

        Assert.Equal(["b"], lru.LiveKeys());
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void TryGet_with_a_null_or_empty_key_throws_ArgumentException_naming_the_key(BackendPolicy policy)
    {
        using var backend = Create(policy);

        Assert.Equal("key", Assert.ThrowsAny<ArgumentException>(() => backend.TryGet<string>(null!, out _)).ParamName);
        Assert.Equal("key", Assert.ThrowsAny<ArgumentException>(() => backend.TryGet<string>(string.Empty, out _)).ParamName);
        Assert.Equal(default, backend.Statistics);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public async Task A_rejected_write_to_a_full_backend_evicts_nothing(BackendPolicy policy)
    {
        using var backend = Create(policy, capacity: 2);
        var removals = new RemovalRecorder(backend);
        backend.PutAll("a", "b");

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await backend.PutAsync(string.Empty, "x"));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await backend.PutAsync(null!, "x"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await backend.PutAsync("c", "x", null, new CancellationToken(canceled: true)));

        Assert.Equal(["a", "b"], backend.LiveKeys());
        Assert.Empty(removals.Removals);
        Assert.Equal(2, backend.Count);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public async Task A_write_with_an_extreme_time_to_live_is_stored_whole_or_rejected_whole(BackendPolicy policy)
    {
        using var backend = Create(policy, capacity: 2);
        var removals = new RemovalRecorder(backend);
        backend.PutAll("a", "b");

        var error = await Record.ExceptionAsync(async () => await backend.PutAsync("c", "forever", new CacheEntryOptions { TimeToLive = TimeSpan.MaxValue }));

        if (error is null)
        {
            Assert.Equal("forever", backend.Read("c").Value);
            _time.Advance(TimeSpan.FromHours(1));
            Assert.Equal("forever", backend.Read("c").Value);
            Assert.Single(removals.KeysWith(CacheRemovalReason.Evicted));
        }
        else
        {
            Assert.IsType<ArgumentOutOfRangeException>(error);
            Assert.Equal(["a", "b"], backend.LiveKeys());
            Assert.Empty(removals.Removals);
        }
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Reading_a_value_as_another_type_throws_InvalidCastException_naming_the_key(BackendPolicy policy)
    {
        using var backend = Create(policy);
        backend.Put("text");

        var error = Assert.Throws<InvalidCastException>(() => backend.TryGet<int>("text", out _));

        Assert.Contains("'text'", error.Message, StringComparison.Ordinal);
        Assert.Equal("value of text", backend.Read("text").Value);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void A_value_can_be_read_as_a_type_it_derives_from(BackendPolicy policy)
    {
        using var backend = Create(policy);
        Synchronously.Complete(backend.PutAsync("list", new List<int> { 1, 2 }));

        Assert.True(backend.TryGet<IReadOnlyList<int>>("list", out var list));
        Assert.Equal([1, 2], list);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public async Task Every_call_after_Dispose_throws_ObjectDisposedException(BackendPolicy policy)
    {
        var backend = Create(policy);
        backend.Put("k");

        backend.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await backend.GetAsync<string>("k"));
        Assert.Throws<ObjectDisposedException>(() => backend.TryGet<string>("k", out _));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await backend.PutAsync("k", "v"));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await backend.RemoveAsync("k"));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await backend.ClearAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await backend.CountAsync());
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Dispose_twice_is_harmless(BackendPolicy policy)
    {
        var backend = Create(policy);
        backend.Put("k", TimeSpan.FromSeconds(1));

        backend.Dispose();
        backend.Dispose();

        Assert.Throws<ObjectDisposedException>(() => backend.TryGet<string>("k", out _));
    }

    [Fact]
    public void The_backends_report_their_capacity_and_default_time_to_live()
    {
        using var lru = new LruBackend(3, _time);
        using var lfu = new LfuBackend(4, _time);
        using var ttl = new TtlBackend(TimeSpan.FromSeconds(1.5), timeProvider: _time);
        using var boundedTtl = new TtlBackend(TimeSpan.FromSeconds(2), 5, _time);
        using var lruTtl = new LruTtlBackend(6, TimeSpan.FromSeconds(2.5), _time);

        Assert.Equal((3, (TimeSpan?)null), (lru.Capacity, lru.DefaultTimeToLive));
        Assert.Equal((4, (TimeSpan?)null), (lfu.Capacity, lfu.DefaultTimeToLive));
        Assert.Equal(((int?)null, TimeSpan.FromSeconds(1.5)), (ttl.Capacity, ttl.DefaultTimeToLive));
        Assert.Equal((5, TimeSpan.FromSeconds(2)), (boundedTtl.Capacity, boundedTtl.DefaultTimeToLive));
        Assert.Equal((6, TimeSpan.FromSeconds(2.5)), (lruTtl.Capacity, lruTtl.DefaultTimeToLive));
    }

    [Fact]
    public void Without_a_clock_the_backends_use_the_system_clock()
    {
        using var lru = new LruBackend(2);
        using var ttl = new TtlBackend(TimeSpan.FromHours(1));

        Synchronously.Complete(lru.PutAsync("k", 1, CacheEntryOptions.FromSeconds(3600)));
        Synchronously.Complete(ttl.PutAsync("k", 1));

        Assert.True(lru.TryGet<int>("k", out _));
        Assert.True(ttl.TryGet<int>("k", out _));
    }

    private InMemoryBackend Create(BackendPolicy policy, int capacity = 100) => InMemoryBackends.Create(policy, capacity, _time);
}
