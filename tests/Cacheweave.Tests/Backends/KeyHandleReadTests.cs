using Cacheweave.Backends;
using Cacheweave.Keys;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends;

/// <summary>
/// The cached call's hit path: <see cref="InMemoryBackend.TryGetRemembered{T}(KeyHandle, out T)"/> starts from the entry the key's
/// handle found last time. Every way an entry can leave or change must make that read answer what a read of the map
/// answers, never the value the remembered entry used to hold.
/// </summary>
public sealed class KeyHandleReadTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);

    public static TheoryData<string> Policies => new() { "Lru", "Lfu", "Ttl", "LruTtl", "Fifo", "TinyLfu" };

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_hit_remembers_the_entry_and_a_value_written_in_place_is_read_through_it(string policy)
    {
        using var backend = Create(policy, _time);
        var handle = new KeyHandle("k");
        backend.Set("k", 1);

        Assert.Equal(1, Read(backend, handle));
        var remembered = handle.Entry;
        Assert.NotNull(remembered);

        backend.Set("k", 2);

        Assert.Equal(2, Read(backend, handle));
        Assert.Same(remembered, handle.Entry);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_removed_key_is_a_miss_and_the_handle_lets_go_of_the_dead_entry(string policy)
    {
        using var backend = Create(policy, _time);
        var handle = new KeyHandle("k");
        backend.Set("k", 1);
        Assert.Equal(1, Read(backend, handle));

        backend.Remove("k");

        Assert.False(backend.TryGetRemembered(handle, out int _));
        Assert.Null(handle.Entry);
        // Read's two hits (through the handle and through the map), then this miss: counted like any read.
        var statistics = backend.Statistics;
        Assert.Equal((2, 1), (statistics.Hits, statistics.Misses));
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_write_that_makes_a_new_entry_is_read_through_the_new_one(string policy)
    {
        using var backend = Create(policy, _time);
        var handle = new KeyHandle("k");
        backend.Set("k", 1);
        Assert.Equal(1, Read(backend, handle));
        var first = handle.Entry;

        // Another time to live is another kind of entry: the write replaces the entry object.
        backend.Set("k", 2, new CacheEntryOptions { TimeToLive = TimeSpan.FromMinutes(3) });
        Assert.Equal(2, Read(backend, handle));
        Assert.NotSame(first, handle.Entry);

        // The time to live changed after the fact swaps the entry too.
        Assert.True(Synchronously.Result(backend.SetTimeToLiveAsync("k", null)));
        Assert.Equal(2, Read(backend, handle));
        backend.Set("k", 3);
        Assert.Equal(3, Read(backend, handle));
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void An_expired_entry_is_a_miss_through_the_handle(string policy)
    {
        using var backend = Create(policy, _time);
        var handle = new KeyHandle("k");
        backend.Set("k", 1, new CacheEntryOptions { TimeToLive = TimeSpan.FromSeconds(10) });
        Assert.Equal(1, Read(backend, handle));

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.False(backend.TryGetRemembered(handle, out int _));
        Assert.Null(handle.Entry);
        Assert.Equal(1, backend.Statistics.Expirations);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_sliding_entry_read_through_the_handle_is_pushed_forward(string policy)
    {
        using var backend = Create(policy, _time);
        var handle = new KeyHandle("k");
        backend.Set("k", 1, new CacheEntryOptions { TimeToLive = TimeSpan.FromSeconds(10), Sliding = true });

        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(6));
            Assert.Equal(1, Read(backend, handle));
        }

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(backend.TryGetRemembered(handle, out int _));
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void An_evicted_entry_is_a_miss_through_the_handle(string policy)
    {
        using var backend = Create(policy, _time, capacity: 2);
        var handle = new KeyHandle("k");
        backend.Set("k", 1);
        Assert.Equal(1, Read(backend, handle));

        // Far more one-off keys than the capacity, whatever the policy keeps, "k" cannot outlive them all.
        for (var i = 0; i < 200; i++)
        {
            backend.Set("other" + i, i);
            backend.Set("other" + i, i);
        }

        var throughHandle = backend.TryGetRemembered(handle, out int _);
        Assert.Equal(backend.SnapshotLiveEntries().ContainsKey("k"), throughHandle);
        if (policy is "Lru" or "Fifo" or "Ttl" or "LruTtl")
        {
            Assert.False(throughHandle);
            Assert.Null(handle.Entry);
        }
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void After_a_clear_and_after_a_snapshot_load_the_handle_reads_what_the_map_holds(string policy)
    {
        using var backend = Create(policy, _time);
        var handle = new KeyHandle("k");
        backend.Set("k", 1);
        Assert.Equal(1, Read(backend, handle));

        backend.Clear();
        Assert.False(backend.TryGetRemembered(handle, out int _));

        using var other = Create(policy, _time);
        other.Set("k", 7);
        var snapshot = new MemoryStream();
        Synchronously.Result(other.SaveAsync(snapshot));
        backend.Set("k", 2);
        Assert.Equal(2, Read(backend, handle));

        Synchronously.Result(backend.LoadAsync(new MemoryStream(snapshot.ToArray())));

        Assert.Equal(7, Read(backend, handle));
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_dead_entry_a_handle_still_holds_links_to_no_other_entry(string policy)
    {
        using var backend = Create(policy, _time);
        var cleared = new KeyHandle("cleared");
        var removed = new KeyHandle("removed");
        foreach (var key in new[] { "a", "removed", "b", "cleared", "c" })
        {
            backend.Set(key, 1, new CacheEntryOptions { TimeToLive = key == "cleared" ? TimeSpan.FromMinutes(5) : null });
        }

        Assert.Equal(1, Read(backend, cleared));
        Assert.Equal(1, Read(backend, removed));
        backend.Remove("removed");
        backend.Clear();

        // A handle keeps its dead entry until the key is read again; the entry must not keep the rest of the cache.
        foreach (var entry in new[] { cleared.Entry!, removed.Entry! })
        {
            Assert.True(entry.IsRemoved);
            Assert.Null(entry.Prev);
            Assert.Null(entry.Next);
            if (entry is Cacheweave.Backends.Engine.ExpiringCacheEntry expiring)
            {
                Assert.Null(expiring.ExpiryPrev);
                Assert.Null(expiring.ExpiryNext);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_disposed_backend_throws_through_the_handle_too(string policy)
    {
        var backend = Create(policy, _time);
        var handle = new KeyHandle("k");
        backend.Set("k", 1);
        Assert.Equal(1, Read(backend, handle));

        backend.Dispose();

        Assert.Throws<ObjectDisposedException>(() => backend.TryGetRemembered(handle, out int _));
    }

    /// <summary>
    /// Writers keep changing each key's entry in every way (in place, a new entry by another time to live, removal)
    /// while readers read through shared handles. A value carries its key and a version; a reader must never see
    /// another key's value, nor a version older than one whose write had returned before the read began.
    /// </summary>
    [Theory]
    [MemberData(nameof(Policies))]
    public void Concurrent_readers_through_handles_never_see_another_keys_value_or_a_superseded_one(string policy)
    {
        const int Keys = 8;
        using var backend = Create(policy, TimeProvider.System, capacity: 64);
        var handles = Enumerable.Range(0, Keys).Select(k => new KeyHandle("key" + k)).ToArray();
        var published = new long[Keys];
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var reads = 0L;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        var writers = Enumerable.Range(0, 2).Select(w => new Thread(() =>
        {
            var version = 0L;
            while (!stop.IsCancellationRequested)
            {
                // Each writer owns half the keys, so its versions per key only grow.
                var k = (w * (Keys / 2)) + (int)(version % (Keys / 2));
                version++;
                var value = (Key: k, Version: version);
                switch (version % 5)
                {
                    case 0:
                        backend.Remove(handles[k].Key);
                        continue;
                    case 1:
                        backend.Set(handles[k].Key, value, new CacheEntryOptions { TimeToLive = TimeSpan.FromHours(1) });
                        break;
                    default:
                        backend.Set(handles[k].Key, value);
                        break;
                }

                Volatile.Write(ref published[k], version);
            }
        })).ToList();
        var readers = Enumerable.Range(0, 2).Select(r => new Thread(() =>
        {
            var random = new Random(r);
            while (!stop.IsCancellationRequested)
            {
                var k = random.Next(Keys);
                var floor = Volatile.Read(ref published[k]);
                if (backend.TryGetRemembered(handles[k], out (int Key, long Version) seen))
                {
                    Interlocked.Increment(ref reads);
                    if (seen.Key != k)
                    {
                        failures.Enqueue($"key{k} read the value of key{seen.Key}");
                    }
                    else if (seen.Version < floor)
                    {
                        failures.Enqueue($"key{k} read version {seen.Version} after version {floor} had been written");
                    }
                }
            }
        })).ToList();

        writers.Concat(readers).ToList().ForEach(t => t.Start());
        writers.Concat(readers).ToList().ForEach(t => t.Join());

        Assert.Empty(failures);
        Assert.True(Interlocked.Read(ref reads) > 0, "No read hit: the test checked nothing.");
    }

    private static int Read(InMemoryBackend backend, KeyHandle handle)
    {
        Assert.True(backend.TryGetRemembered(handle, out int value), $"'{handle.Key}' was expected to be a hit.");
        Assert.True(backend.TryGet(handle.Key, out int viaMap));
        Assert.Equal(viaMap, value);
        return value;
    }

    private static InMemoryBackend Create(string policy, TimeProvider time, int capacity = 100) => policy switch
    {
        "Lru" => new LruBackend(capacity, time),
        "Lfu" => new LfuBackend(capacity, time),
        "Ttl" => new TtlBackend(TimeSpan.FromHours(1), capacity, time),
        "LruTtl" => new LruTtlBackend(capacity, TimeSpan.FromHours(1), time),
        "Fifo" => new FifoBackend(capacity, time),
        "TinyLfu" => new TinyLfuBackend(capacity, time),
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };
}
