using Cacheweave.Backends;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends;

/// <summary>The byte budget of the in-memory backends: where an entry's size comes from, eviction until it fits, refusals.</summary>
public sealed class ByteBudgetTests
{
    private readonly FakeTimeProvider _time = new();

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public async Task An_entry_larger_than_the_whole_budget_throws_naming_its_key_size_and_the_budget(BackendPolicy policy)
    {
        using var backend = InMemoryBackends.CreateWithByteBudget(policy, capacity: null, maxBytes: 100, _time);

        var thrown = await Assert.ThrowsAsync<CacheEntryTooLargeException>(
            async () => await backend.PutAsync("huge", "value", new CacheEntryOptions { Size = 101 }));

        Assert.Equal(("huge", 101L, 100L), (thrown.Key, thrown.Size, thrown.MaxBytes));
        Assert.Contains("'huge'", thrown.Message, StringComparison.Ordinal);
        Assert.Equal((0L, 0L), (backend.Count, backend.Bytes));
        Assert.Throws<CacheEntryTooLargeException>(() => backend.Set("huge", "value", new CacheEntryOptions { Size = 101 }));
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void A_size_above_int_MaxValue_is_refused_as_bad_input_even_under_a_larger_budget(BackendPolicy policy)
    {
        using var backend = InMemoryBackends.CreateWithByteBudget(policy, capacity: null, maxBytes: 10L << 30, _time);

        var thrown = Assert.Throws<ArgumentOutOfRangeException>(() => backend.Set("big", "value", new CacheEntryOptions { Size = int.MaxValue + 1L }));

        Assert.Equal("options", thrown.ParamName);
        Assert.Contains("'big'", thrown.Message, StringComparison.Ordinal);
        backend.Set("big", "value", new CacheEntryOptions { Size = int.MaxValue });
        Assert.Equal((1L, (long)int.MaxValue), (backend.Count, backend.Bytes));
    }

    [Fact]
    public void A_refused_write_removes_the_earlier_value_of_its_key_so_that_it_is_never_read_as_current()
    {
        using var backend = InMemoryBackends.CreateWithByteBudget(BackendPolicy.Lru, capacity: null, maxBytes: 100, _time);
        var removals = new RemovalRecorder(backend);
        backend.Set("key", "old", new CacheEntryOptions { Size = 10 });
        backend.Set("other", "kept", new CacheEntryOptions { Size = 10 });

        Assert.Throws<CacheEntryTooLargeException>(() => backend.Set("key", "new", new CacheEntryOptions { Size = 500 }));

        Assert.False(backend.Read("key").HasValue);
        Assert.Equal(["other"], backend.LiveKeys());
        Assert.Equal(10, backend.Bytes);
        Assert.Equal([("key", (object?)"old", CacheRemovalReason.Removed)], removals.Removals);
    }

    [Fact]
    public void An_entry_of_exactly_the_budget_fits_and_evicts_everything_else()
    {
        using var backend = InMemoryBackends.CreateWithByteBudget(BackendPolicy.Lru, capacity: 10, maxBytes: 100, _time);
        backend.PutSized("a", 1, 40);
        backend.PutSized("b", 2, 40);

        backend.PutSized("all", 3, 100);

        Assert.Equal(["all"], backend.LiveKeys());
        Assert.Equal(100, backend.Bytes);
    }

    [Fact]
    public void A_write_evicts_least_recently_used_entries_until_the_new_one_fits()
    {
        using var backend = InMemoryBackends.CreateWithByteBudget(BackendPolicy.Lru, capacity: 100, maxBytes: 100, _time);
        var removals = new RemovalRecorder(backend);
        backend.PutSized("a", 1, 30);
        backend.PutSized("b", 2, 30);
        backend.PutSized("c", 3, 30);
        Assert.True(backend.TryGet<int>("a", out _));

        backend.PutSized("d", 4, 60);

        Assert.Equal(["b", "c"], removals.KeysWith(CacheRemovalReason.Evicted));
        Assert.Equal(["a", "d"], backend.LiveKeys());
        Assert.Equal(90, backend.Bytes);
        Assert.Equal(2, backend.Statistics.Evictions);
    }

    [Fact]
    public void A_larger_replacement_evicts_others_for_the_difference_and_keeps_its_key()
    {
        using var backend = InMemoryBackends.CreateWithByteBudget(BackendPolicy.Lru, capacity: null, maxBytes: 100, _time);
        var removals = new RemovalRecorder(backend);
        backend.PutSized("a", 1, 30);
        backend.PutSized("b", 2, 30);
        backend.PutSized("c", 3, 30);

        backend.PutSized("c", 4, 50);

        Assert.Equal(["a"], removals.KeysWith(CacheRemovalReason.Evicted));
        Assert.Equal(["c"], removals.KeysWith(CacheRemovalReason.Replaced));
        Assert.Equal(["b", "c"], backend.LiveKeys());
        Assert.Equal(80, backend.Bytes);
        Assert.True(backend.TryGet<int>("c", out var value) && value == 4);
    }

    [Fact]
    public void A_smaller_replacement_frees_bytes_without_evicting()
    {
        using var backend = InMemoryBackends.CreateWithByteBudget(BackendPolicy.Lfu, capacity: null, maxBytes: 100, _time);
        backend.PutSized("a", 1, 60);
        backend.PutSized("b", 2, 40);

        backend.PutSized("a", 3, 10);

        Assert.Equal(["a", "b"], backend.LiveKeys());
        Assert.Equal(50, backend.Bytes);
        Assert.Equal(0, backend.Statistics.Evictions);
    }

    [Fact]
    public void The_size_given_with_a_write_wins_over_the_sizer()
    {
        using var backend = InMemoryBackends.CreateWithByteBudget(BackendPolicy.Lru, capacity: null, maxBytes: 1_000, _time, sizer: (_, value) => ((string)value!).Length);

        backend.Set("sized by the sizer", "twelve chars");
        backend.Set("sized by the write", "ignored by the sizer", new CacheEntryOptions { Size = 3 });

        Assert.Equal(12 + 3, backend.Bytes);
    }

    [Fact]
    public void The_sizer_is_given_the_key_and_the_value_once_per_write()
    {
        var seen = new List<(string, object?)>();
        using var backend = InMemoryBackends.CreateWithByteBudget(BackendPolicy.Fifo, capacity: null, maxBytes: 1_000, _time, sizer: (key, value) =>
        {
            seen.Add((key, value));
            return 7;
        });

        backend.Set("a", 1);
        backend.Set("a", 2);

        Assert.Equal([("a", (object?)1), ("a", 2)], seen);
        Assert.Equal(7, backend.Bytes);
    }

    [Fact]
    public void A_write_without_a_size_to_a_budget_without_a_sizer_fails_and_says_how_to_fix_it()
    {
        using var backend = InMemoryBackends.CreateWithByteBudget(BackendPolicy.Lru, capacity: null, maxBytes: 1_000, _time);

        var thrown = Assert.Throws<InvalidOperationException>(() => backend.Set("unsized", 1));

        Assert.Contains("'unsized'", thrown.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(InMemoryBackendOptions.Sizer), thrown.Message, StringComparison.Ordinal);
        Assert.Equal(0, backend.Count);
    }

    [Fact]
    public void A_sizer_that_returns_a_negative_size_fails_the_write()
    {
        using var backend = InMemoryBackends.CreateWithByteBudget(BackendPolicy.Lru, capacity: null, maxBytes: 1_000, _time, sizer: (_, _) => -1);

        Assert.Throws<InvalidOperationException>(() => backend.Set("key", 1));
        Assert.Equal(0, backend.Count);
    }

    [Fact]
    public void A_negative_entry_size_is_refused_naming_the_size()
    {
        Assert.Equal("Size", Assert.Throws<ArgumentOutOfRangeException>(() => new CacheEntryOptions { Size = -1 }).ParamName);
        Assert.Equal(0, new CacheEntryOptions { Size = 0 }.Size);
    }

    [Fact]
    public void Statistics_report_the_bytes_held_and_the_budget()
    {
        using var budgeted = InMemoryBackends.CreateWithByteBudget(BackendPolicy.Lru, capacity: 10, maxBytes: 1_000, _time);
        using var unbudgeted = new LruBackend(10, _time);
        budgeted.Set("a", 1, new CacheEntryOptions { Size = 250 });
        budgeted.Set("b", 2, new CacheEntryOptions { Size = 50 });
        unbudgeted.Set("a", 1, new CacheEntryOptions { Size = 250 });

        Assert.Equal((300L, (long?)1_000), (budgeted.Statistics.Bytes, budgeted.Statistics.MaxBytes));
        Assert.Equal((0L, (long?)null), (unbudgeted.Statistics.Bytes, unbudgeted.Statistics.MaxBytes));
        Assert.True(budgeted.Remove("a"));
        Assert.Equal(50, budgeted.Statistics.Bytes);
        budgeted.Clear();
        Assert.Equal(0, budgeted.Statistics.Bytes);
    }

    [Fact]
    public void An_expired_entry_frees_its_bytes_before_a_live_one_is_evicted()
    {
        using var backend = InMemoryBackends.CreateWithByteBudget(BackendPolicy.Lru, capacity: null, maxBytes: 100, _time);
        var removals = new RemovalRecorder(backend);
        backend.PutSized("live", 1, 50);
        backend.PutSized("short-lived", 2, 50, TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));

        backend.PutSized("new", 3, 50);

        Assert.Equal(["live", "new"], backend.LiveKeys());
        Assert.Equal(["short-lived"], removals.KeysWith(CacheRemovalReason.Expired));
        Assert.Empty(removals.KeysWith(CacheRemovalReason.Evicted));
    }

    [Fact]
    public void Options_check_each_limit_naming_it()
    {
        Assert.Equal("Capacity", Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryBackendOptions { Capacity = 0 }).ParamName);
        Assert.Equal("MaxBytes", Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryBackendOptions { MaxBytes = 0 }).ParamName);
        Assert.Equal("DefaultTimeToLive", Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryBackendOptions { DefaultTimeToLive = TimeSpan.Zero }).ParamName);
    }

    [Fact]
    public void A_backend_needs_a_bound_a_sizer_needs_a_budget_and_an_expiring_backend_needs_a_default_time_to_live()
    {
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => new LruBackend(new InMemoryBackendOptions())).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => new FifoBackend(new InMemoryBackendOptions { DefaultTimeToLive = TimeSpan.FromSeconds(1) })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => new LfuBackend(new InMemoryBackendOptions { Capacity = 5, Sizer = (_, _) => 1 })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => new TtlBackend(new InMemoryBackendOptions { MaxBytes = 10 })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => new LruTtlBackend(new InMemoryBackendOptions { DefaultTimeToLive = TimeSpan.FromSeconds(1) })).ParamName);
        Assert.Throws<ArgumentNullException>(() => new LruBackend(null!));

        // A TTL backend may be bounded by expiry alone.
        using var ttl = new TtlBackend(new InMemoryBackendOptions { DefaultTimeToLive = TimeSpan.FromSeconds(1) });
        Assert.Null(ttl.Capacity);
        Assert.Null(ttl.MaxBytes);
    }

    [Fact]
    public void A_two_level_backend_refuses_a_local_tier_with_a_byte_budget_and_no_sizer()
    {
        using var local = new LruBackend(new InMemoryBackendOptions { MaxBytes = 1_000 });
        using var shared = new LruBackend(10);

        Assert.Equal("local", Assert.Throws<ArgumentException>(() => new Cacheweave.Tiers.TwoLevelBackend(local, shared)).ParamName);
    }
}
