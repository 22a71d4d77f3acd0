using Cacheweave.Backends;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends;

/// <summary><see cref="LruBackend"/>: a hit or a write makes an entry the most recently used; the least recently used goes.</summary>
public sealed class LruBackendTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Evicts_the_least_recently_written_entry_when_nothing_was_read()
    {
        using var backend = new LruBackend(3, _time);
        var removals = new RemovalRecorder(backend);

        backend.PutAll("a", "b", "c", "d", "e");

        Assert.Equal(["a", "b"], removals.KeysWith(CacheRemovalReason.Evicted));
        Assert.Equal(["c", "d", "e"], backend.LiveKeys());
    }

    [Fact]
    public void A_hit_makes_the_entry_the_most_recently_used()
    {
        using var backend = new LruBackend(3, _time);
        backend.PutAll("a", "b", "c");

        backend.Read("a");
        backend.Put("d");

        Assert.Equal(["a", "c", "d"], backend.LiveKeys());
    }

    [Fact]
    public void A_TryGet_hit_makes_the_entry_the_most_recently_used()
    {
        using var backend = new LruBackend(3, _time);
        backend.PutAll("a", "b", "c");

        Assert.True(backend.TryGet<string>("b", out _));
        Assert.True(backend.TryGet<string>("a", out _));
        backend.PutAll("d", "e");

        Assert.Equal(["a", "d", "e"], backend.LiveKeys());
    }

    [Fact]
    public void A_replacing_put_makes_the_entry_the_most_recently_used()
    {
        using var backend = new LruBackend(3, _time);
        backend.PutAll("a", "b", "c");

        backend.Put("a");
        backend.Put("d");

        Assert.Equal(["a", "c", "d"], backend.LiveKeys());
    }

    [Fact]
    public void A_miss_changes_nothing()
    {
        using var backend = new LruBackend(3, _time);
        backend.PutAll("a", "b", "c");

        Assert.False(backend.Read("d").HasValue);
        Assert.False(backend.TryGet<string>("e", out _));
        backend.Put("f");

        Assert.Equal(["b", "c", "f"], backend.LiveKeys());
    }

    [Fact]
    public void Replacing_an_entry_of_a_full_backend_evicts_nothing()
    {
        using var backend = new LruBackend(3, _time);
        var removals = new RemovalRecorder(backend);
        backend.PutAll("a", "b", "c");

        backend.PutAll("a", "b", "c", "b");

        Assert.Empty(removals.KeysWith(CacheRemovalReason.Evicted));
        Assert.Equal(["a", "b", "c"], backend.LiveKeys());
    }

    [Fact]
    public void Recency_follows_the_last_of_many_hits_however_many_there_are()
    {
        // Far more hits than any access buffer holds: the order must still be that of the last hits.
        using var backend = new LruBackend(3, _time);
        backend.PutAll("a", "b", "c");

        backend.Read("b", times: 1_000);
        backend.Read("c", times: 1_000);
        backend.Read("a", times: 1);
        backend.Put("d");
        Assert.Equal(["a", "c", "d"], backend.LiveKeys());

        backend.Put("e");
        Assert.Equal(["a", "d", "e"], backend.LiveKeys());
    }

    [Fact]
    public void A_hot_entry_survives_a_stream_of_new_keys()
    {
        using var backend = new LruBackend(3, _time);
        backend.Put("hot");

        for (var i = 0; i < 500; i++)
        {
            backend.Put($"cold-{i}");
            Assert.True(backend.Read("hot").HasValue, $"hot was evicted by cold-{i}");
        }

        Assert.Equal(3, backend.Count);
    }

    [Fact]
    public void The_count_never_exceeds_the_capacity()
    {
        using var backend = new LruBackend(10, _time);

        for (var i = 0; i < 100; i++)
        {
            backend.Put($"k{i}");
            Assert.Equal(Math.Min(i + 1, 10), backend.Count);
        }

        Assert.Equal(90, backend.Statistics.Evictions);
    }
}
