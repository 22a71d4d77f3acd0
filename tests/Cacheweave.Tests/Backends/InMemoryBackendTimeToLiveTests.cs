using Cacheweave.Backends;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends;

/// <summary>Reading and changing an entry's time to live after it was written, on every in-memory backend.</summary>
public sealed class InMemoryBackendTimeToLiveTests
{
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);
    private static readonly TimeSpan TenSeconds = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Time_to_live_is_what_the_entry_has_left_to_the_tick(BackendPolicy policy)
    {
        using var backend = Create(policy);
        backend.Put("k", TenSeconds);

        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(new CacheResult<TimeSpan?>(TimeSpan.FromSeconds(7)), backend.GetTimeToLive("k"));
        Assert.Equal(CacheResult<TimeSpan?>.Miss, backend.GetTimeToLive("absent"));
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.WithoutDefaultTimeToLive), MemberType = typeof(InMemoryBackends))]
    public void An_entry_without_a_time_to_live_reports_null(BackendPolicy policy)
    {
        using var backend = Create(policy);
        backend.Put("k");

        Assert.Equal(new CacheResult<TimeSpan?>(null), backend.GetTimeToLive("k"));
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Set_time_to_live_counts_the_new_time_from_now(BackendPolicy policy)
    {
        using var backend = Create(policy);
        backend.Put("shortened", TenSeconds);
        backend.Put("lengthened", TenSeconds);
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.True(backend.SetTimeToLive("shortened", TimeSpan.FromSeconds(2)));
        Assert.True(backend.SetTimeToLive("lengthened", TimeSpan.FromSeconds(20)));

        _time.Advance(TimeSpan.FromSeconds(2) - OneTick);
        Assert.True(backend.Read("shortened").HasValue);
        _time.Advance(OneTick);
        Assert.False(backend.Read("shortened").HasValue);

        _time.Advance(TimeSpan.FromSeconds(18) - OneTick);
        Assert.Equal(new CacheResult<string>("value of lengthened"), backend.Read("lengthened"));
        _time.Advance(OneTick);
        Assert.False(backend.Read("lengthened").HasValue);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.WithoutDefaultTimeToLive), MemberType = typeof(InMemoryBackends))]
    public void Set_time_to_live_makes_an_entry_written_without_one_expire(BackendPolicy policy)
    {
        using var backend = Create(policy);
        backend.Put("k");

        Assert.True(backend.SetTimeToLive("k", TenSeconds));

        _time.Advance(TenSeconds - OneTick);
        Assert.Equal(new CacheResult<TimeSpan?>(OneTick), backend.GetTimeToLive("k"));
        Assert.Equal(new CacheResult<string>("value of k"), backend.Read("k"));
        _time.Advance(OneTick);
        Assert.False(backend.Read("k").HasValue);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Set_time_to_live_to_null_makes_the_entry_outlive_the_sweep(BackendPolicy policy)
    {
        using var backend = Create(policy);
        var removals = new RemovalRecorder(backend);
        backend.Put("persistent", TenSeconds);
        backend.Put("timed", TenSeconds);

        Assert.True(backend.SetTimeToLive("persistent", null));
        for (var i = 0; i < 30; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(new CacheResult<TimeSpan?>(null), backend.GetTimeToLive("persistent"));
        Assert.Equal(["persistent"], backend.LiveKeys());
        Assert.Equal(["timed"], removals.KeysWith(CacheRemovalReason.Expired));
        Assert.Equal(1, backend.Count);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Time_to_live_members_find_nothing_under_an_expired_key(BackendPolicy policy)
    {
        using var backend = Create(policy);
        backend.Put("k", TenSeconds);
        _time.Advance(TenSeconds);

        Assert.Equal(CacheResult<TimeSpan?>.Miss, backend.GetTimeToLive("k"));
        Assert.False(backend.SetTimeToLive("k", TenSeconds));
        Assert.False(backend.ExpireAt("k", _time.GetUtcNow() + TenSeconds));
        Assert.False(backend.Read("k").HasValue);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Expire_at_a_future_instant_expires_the_entry_at_that_instant(BackendPolicy policy)
    {
        using var backend = Create(policy);
        backend.Put("k", TenSeconds);
        var instant = _time.GetUtcNow() + TimeSpan.FromSeconds(25);

        Assert.True(backend.ExpireAt("k", instant));

        _time.Advance(TimeSpan.FromSeconds(25) - OneTick);
        Assert.True(backend.Read("k").HasValue);
        _time.Advance(OneTick);
        Assert.False(backend.Read("k").HasValue);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Expire_at_the_current_instant_removes_the_entry_as_expired(BackendPolicy policy)
    {
        using var backend = Create(policy);
        var removals = new RemovalRecorder(backend);
        backend.Put("k", TenSeconds);

        Assert.True(backend.ExpireAt("k", _time.GetUtcNow()));

        Assert.Equal([("k", (object?)"value of k", CacheRemovalReason.Expired)], removals.Removals);
        Assert.Equal(0, backend.Count);
        Assert.Equal(1, backend.Statistics.Expirations);
        Assert.False(backend.ExpireAt("k", _time.GetUtcNow()));
    }

    [Theory]
    [InlineData(BackendPolicy.Lru)]
    [InlineData(BackendPolicy.LruTtl)]
    public void Time_to_live_members_do_not_count_as_uses_in_the_LRU_order(BackendPolicy policy)
    {
        using var backend = Create(policy, capacity: 3);
        backend.Put("a");
        backend.Put("b", TenSeconds);
        backend.Put("c");

        // "a" is the least recently used; none of these may change that.
        Assert.True(backend.GetTimeToLive("a").HasValue);
        Assert.True(backend.SetTimeToLive("a", TimeSpan.FromHours(1)));
        Assert.True(backend.SetTimeToLive("a", null));
        Assert.True(backend.SetTimeToLive("a", TenSeconds));
        Assert.True(backend.ExpireAt("b", _time.GetUtcNow() + TimeSpan.FromHours(2)));
        backend.Put("d");

        Assert.Equal(["b", "c", "d"], backend.LiveKeys());
        backend.Put("e");
        Assert.Equal(["c", "d", "e"], backend.LiveKeys());
    }

    [Fact]
    public void A_time_to_live_change_keeps_the_LFU_use_count()
    {
        using var backend = new LfuBackend(2, _time);
        backend.Put("often");
        backend.Read("often", times: 3);
        backend.Put("once");

        Assert.True(backend.SetTimeToLive("often", TimeSpan.FromHours(1)));
        Assert.True(backend.SetTimeToLive("once", TimeSpan.FromHours(1)));
        backend.Put("new");

        Assert.Equal(["new", "often"], backend.LiveKeys());
    }

    [Fact]
    public void A_full_TTL_backend_still_evicts_when_every_entry_is_persistent()
    {
        using var backend = new TtlBackend(TenSeconds, capacity: 2, _time);
        backend.Put("a");
        backend.Put("b");
        Assert.True(backend.SetTimeToLive("a", null));
        Assert.True(backend.SetTimeToLive("b", null));

        backend.Put("c");

        Assert.Equal(2, backend.Count);
        Assert.Equal(["b", "c"], backend.LiveKeys());
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void A_time_to_live_that_is_not_positive_is_refused_naming_the_parameter(BackendPolicy policy)
    {
        using var backend = Create(policy);
        backend.Put("k", TenSeconds);

        Assert.Equal("timeToLive", Assert.Throws<ArgumentOutOfRangeException>(() => backend.SetTimeToLive("k", TimeSpan.Zero)).ParamName);
        Assert.Equal("timeToLive", Assert.Throws<ArgumentOutOfRangeException>(() => backend.SetTimeToLive("k", -OneTick)).ParamName);
        Assert.Equal(new CacheResult<TimeSpan?>(TenSeconds), backend.GetTimeToLive("k"));
    }

    [Fact]
    public void A_time_to_live_change_racing_in_place_writes_loses_no_write()
    {
        // In-place writes of an entry without expiry are lock-free; a time-to-live change gives the entry a new object.
        // Whatever the interleaving, every read sees the writer's values in order and the last write survives.
        using var backend = new LruBackend(10, TimeProvider.System);
        const int Writes = 200_000;
        backend.Set("k", 0);
        var done = 0;
        var failures = new List<string>();
        var writer = new Thread(() =>
        {
            for (var i = 1; i <= Writes; i++)
            {
                backend.Set("k", i);
            }

            Volatile.Write(ref done, 1);
        });
        var toggler = new Thread(() =>
        {
            for (var i = 0; Volatile.Read(ref done) == 0; i++)
            {
                backend.SetTimeToLive("k", i % 2 == 0 ? TimeSpan.FromHours(1) : null);
            }
        });
        var reader = new Thread(() =>
        {
            var last = 0;
            while (Volatile.Read(ref done) == 0)
            {
                if (!backend.TryGet<int>("k", out var seen) || seen < last)
                {
                    lock (failures)
                    {
                        failures.Add($"read {(backend.TryGet<int>("k", out _) ? seen : "a miss")} after {last}");
                    }

                    return;
                }

                last = seen;
            }
        });

        writer.Start();
        toggler.Start();
        reader.Start();
        Assert.True(writer.Join(TimeSpan.FromMinutes(2)) && toggler.Join(TimeSpan.FromMinutes(2)) && reader.Join(TimeSpan.FromMinutes(2)));

        Assert.Empty(failures);
        Assert.True(backend.TryGet<int>("k", out var final));
        Assert.Equal(Writes, final);
        Assert.Equal(1, backend.Count);
    }

    private InMemoryBackend Create(BackendPolicy policy, int capacity = 100) => InMemoryBackends.Create(policy, capacity, _time);
}
