using Cacheweave.Backends;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends;

/// <summary><see cref="InMemoryBackend.Statistics"/>, on every in-memory backend.</summary>
public sealed class InMemoryBackendStatisticsTests
{
    private readonly FakeTimeProvider _time = new();

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void A_new_backend_has_counted_nothing(BackendPolicy policy)
    {
        using var backend = Create(policy);

        Assert.Equal(default, backend.Statistics);
        Assert.Equal(0, backend.Statistics.HitRatio);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Every_read_counts_once_as_a_hit_or_a_miss_whichever_way_it_is_made(BackendPolicy policy)
    {
        using var backend = Create(policy);
        backend.Put("a");
        Synchronously.Complete(backend.PutAsync<string?>("null", null));

        backend.Read("a");
        backend.Read("null");
        backend.Read("missing");
        backend.TryGet<string>("a", out _);
        backend.TryGet<string>("missing", out _);
        backend.TryGet<string?>("null", out _);
        Synchronously.Result(backend.GetAsync<string>("missing"));

        var statistics = backend.Statistics;
        Assert.Equal(4, statistics.Hits);
        Assert.Equal(3, statistics.Misses);
        Assert.Equal(4.0 / 7, statistics.HitRatio, 10);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Writes_removals_clears_and_counts_are_not_reads(BackendPolicy policy)
    {
        using var backend = Create(policy);

        backend.PutAll("a", "b", "a");
        Synchronously.Result(backend.RemoveAsync("a"));
        Synchronously.Result(backend.RemoveAsync("missing"));
        Synchronously.Result(backend.CountAsync());
        Synchronously.Complete(backend.ClearAsync());

        Assert.Equal(default, backend.Statistics);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Evictions_count_only_entries_removed_to_make_room(BackendPolicy policy)
    {
        using var backend = Create(policy, capacity: 2);

        backend.PutAll("a", "b", "c", "d", "e");
        backend.Put("e");
        Synchronously.Result(backend.RemoveAsync("e"));
        backend.Put("f", TimeSpan.FromSeconds(0.5));
        _time.Advance(TimeSpan.FromSeconds(0.5));
        backend.Read("f");
        Synchronously.Complete(backend.ClearAsync());

        Assert.Equal(3, backend.Statistics.Evictions);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void Expirations_count_each_expired_entry_once_however_it_is_found(BackendPolicy policy)
    {
        var quarter = TimeSpan.FromSeconds(0.25);
        using var backend = Create(policy, capacity: 2);
        backend.Put("read", quarter);
        backend.Put("removed", quarter);
        _time.Advance(quarter);

        backend.Read("read");                                   // 1, found by a read
        backend.Read("read");
        Synchronously.Result(backend.RemoveAsync("removed"));  // 2, found by a removal
        backend.Put("written-over", quarter);
        backend.Put("purged-for-room", quarter);
        _time.Advance(quarter);
        backend.Put("written-over");                            // 3, found by a write of its key
        backend.Put("d");                                       // 4, dropped to make room
        Synchronously.Result(backend.RemoveAsync("d"));
        backend.Put("counted", quarter);
        _time.Advance(quarter);
        Synchronously.Result(backend.CountAsync());             // 5, dropped by a count
        backend.Put("swept", TimeSpan.FromSeconds(0.1));
        _time.Advance(quarter);                                 // 6, dropped by the sweep at 1 s

        Assert.Equal(new CacheStatistics(Hits: 0, Misses: 2, Evictions: 0, Expirations: 6, Count: 1), backend.Statistics);
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void The_count_in_the_statistics_is_the_count(BackendPolicy policy)
    {
        using var backend = Create(policy, capacity: 3);

        backend.PutAll("a", "b", "c", "d");
        Assert.Equal(3, backend.Statistics.Count);

        Synchronously.Result(backend.RemoveAsync("d"));
        Assert.Equal(2, backend.Statistics.Count);
        Assert.Equal(backend.Count, backend.Statistics.Count);
    }

    private InMemoryBackend Create(BackendPolicy policy, int capacity = 100) => InMemoryBackends.Create(policy, capacity, _time);
}
