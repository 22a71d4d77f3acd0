using System.Buffers.Binary;
using System.Security.Cryptography;
using Cacheweave.Backends;
using Cacheweave.Backends.Snapshots;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends.Snapshots;

/// <summary>Saving an in-memory backend to a snapshot and loading it back: expiries, order, types, and hostile input.</summary>
public sealed class InMemoryBackendSnapshotTests
{
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);

    [Theory]
    [MemberData(nameof(InMemoryBackends.All), MemberType = typeof(InMemoryBackends))]
    public void A_round_trip_keeps_values_and_absolute_expiries_and_drops_what_expired_meanwhile(BackendPolicy policy)
    {
        using var source = Create(policy, _time);
        source.Set("short", "s", new CacheEntryOptions { TimeToLive = TimeSpan.FromSeconds(30) });
        source.Set("long", 42, new CacheEntryOptions { TimeToLive = TimeSpan.FromMinutes(10) });
        source.Set<string?>("null", null, new CacheEntryOptions { TimeToLive = TimeSpan.FromMinutes(10) });
        _time.Advance(TimeSpan.FromSeconds(10));
        var bytes = Save(source);

        // Loaded a minute later by another process, with its own clock.
        var later = new FakeTimeProvider(Start + TimeSpan.FromSeconds(70));
        using var target = Create(policy, later);
        var result = Synchronously.Result(target.LoadAsync(new MemoryStream(bytes)));

        Assert.Equal(new CacheSnapshotResult(Entries: 2, Skipped: 1), result);
        Assert.False(target.Read("short").HasValue);
        Assert.True(target.TryGet<int>("long", out var number));
        Assert.Equal(42, number);
        Assert.Equal(new CacheResult<TimeSpan?>(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(70)), target.GetTimeToLive("long"));
        Assert.True(target.TryGet<string?>("null", out var cachedNull));
        Assert.Null(cachedNull);

        later.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(70) - OneTick);
        Assert.True(target.TryGet<int>("long", out _));
        later.Advance(OneTick);
        Assert.False(target.TryGet<int>("long", out _));
    }

    [Theory]
    [MemberData(nameof(InMemoryBackends.WithoutDefaultTimeToLive), MemberType = typeof(InMemoryBackends))]
    public void An_entry_without_expiry_comes_back_without_expiry(BackendPolicy policy)
    {
        using var source = Create(policy, _time);
        source.Put("forever");

        using var target = Create(policy, _time);
        Load(target, Save(source));
        _time.Advance(TimeSpan.FromDays(400));

        Assert.Equal(new CacheResult<TimeSpan?>(null), target.GetTimeToLive("forever"));
        Assert.Equal(new CacheResult<string>("value of forever"), target.Read("forever"));
    }

    [Fact]
    public void A_sliding_entry_comes_back_sliding()
    {
        using var source = new LruBackend(10, _time);
        source.Set("k", "v", new CacheEntryOptions { TimeToLive = TimeSpan.FromSeconds(10), Sliding = true });
        _time.Advance(TimeSpan.FromSeconds(4));

        using var target = new LruBackend(10, _time);
        Load(target, Save(source));

        Assert.Equal(new CacheResult<TimeSpan?>(TimeSpan.FromSeconds(6)), target.GetTimeToLive("k"));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(target.Read("k").HasValue);
        Assert.Equal(new CacheResult<TimeSpan?>(TimeSpan.FromSeconds(10)), target.GetTimeToLive("k"));
    }

    [Theory]
    [InlineData(BackendPolicy.Lru)]
    [InlineData(BackendPolicy.LruTtl)]
    public void The_LRU_order_is_restored_so_the_least_recent_of_the_saved_order_goes_first(BackendPolicy policy)
    {
        using var source = Create(policy, _time, capacity: 4);
        source.PutAll("a", "b", "c", "d");
        source.Read("a", times: 1);
        source.Read("c", times: 1);

        // Recency, least recent first: b, d, a, c.
        using var target = Create(policy, _time, capacity: 4);
        Load(target, Save(source));
        target.Put("e");
        Assert.Equal(["a", "c", "d", "e"], target.LiveKeys());
        target.Put("f");
        Assert.Equal(["a", "c", "e", "f"], target.LiveKeys());
        target.Put("g");
        Assert.Equal(["c", "e", "f", "g"], target.LiveKeys());
    }

    [Fact]
    public void A_smaller_backend_keeps_the_most_recently_used_entries()
    {
        using var source = new LruBackend(5, _time);
        source.PutAll("a", "b", "c", "d", "e");
        source.Read("a", times: 1);

        using var target = new LruBackend(2, _time);
        var result = Load(target, Save(source));

        Assert.Equal(new CacheSnapshotResult(Entries: 2, Skipped: 3), result);
        Assert.Equal(["a", "e"], target.LiveKeys());
    }

    [Fact]
    public void A_backend_with_a_byte_budget_sizes_the_loaded_entries_and_keeps_the_most_recent_that_fit()
    {
        using var source = new LruBackend(5, _time);
        source.PutAll("a", "b", "c", "d", "e");
        source.Read("a", times: 1);

        // Each value is "value of x": 10 bytes by this sizer, so a 25-byte budget holds two.
        using var target = new LruBackend(new InMemoryBackendOptions
        {
            Capacity = 10,
            MaxBytes = 25,
            Sizer = static (_, value) => ((string)value!).Length,
            TimeProvider = _time,
        });
        var result = Load(target, Save(source));

        Assert.Equal(new CacheSnapshotResult(Entries: 2, Skipped: 3), result);
        Assert.Equal(["a", "e"], target.LiveKeys());
        Assert.Equal(20, target.Bytes);
    }

    [Fact]
    public void A_byte_budget_without_a_sizer_refuses_the_load_and_keeps_its_entries()
    {
        using var source = new LruBackend(5, _time);
        source.PutAll("a", "b");
        using var target = new LruBackend(new InMemoryBackendOptions { Capacity = 10, MaxBytes = 100, TimeProvider = _time });
        target.Set("old", "value of old", new CacheEntryOptions { Size = 12 });

        Assert.Throws<InvalidOperationException>(() => Load(target, Save(source)));

        Assert.Equal(["old"], target.LiveKeys());
        Assert.Equal(12, target.Bytes);
    }

    [Fact]
    public void Loading_replaces_the_entries_and_announces_them_cleared()
    {
        using var source = new LruBackend(10, _time);
        source.Put("new");
        using var target = new LruBackend(10, _time);
        target.Put("old");
        var removals = new RemovalRecorder(target);

        Load(target, Save(source));

        Assert.Equal(["new"], target.LiveKeys());
        Assert.Equal(1, target.Count);
        Assert.Equal([("old", (object?)"value of old", CacheRemovalReason.Cleared)], removals.Removals);
    }

    [Fact]
    public void Values_of_registered_types_round_trip_and_others_are_left_out_of_the_save()
    {
        using var source = new LruBackend(10, _time);
        source.SnapshotTypes.Add<SnapshotOrder>();
        source.Set("order", new SnapshotOrder(7, "Ada", 18.43m));
        source.Set("list", new List<int> { 1, 2, 3 });
        source.Set("blob", new byte[] { 1, 2, 3 });

        var (bytes, saved) = source.CaptureSnapshot();
        Assert.Equal(new CacheSnapshotResult(Entries: 2, Skipped: 1), saved);

        using var target = new LruBackend(10, _time);
        target.SnapshotTypes.Add<SnapshotOrder>();
        Assert.Equal(new CacheSnapshotResult(Entries: 2, Skipped: 0), Load(target, bytes));
        Assert.True(target.TryGet<SnapshotOrder>("order", out var order));
        Assert.Equal(new SnapshotOrder(7, "Ada", 18.43m), order);
        Assert.True(target.TryGet<byte[]>("blob", out var blob));
        Assert.Equal([1, 2, 3], blob);
        Assert.False(target.Holds("list"));
    }

    [Fact]
    public void An_entry_of_a_type_the_loading_backend_has_not_registered_is_skipped_not_created()
    {
        using var source = new LruBackend(10, _time);
        source.SnapshotTypes.Add<SnapshotOrder>();
        source.Set("order", new SnapshotOrder(7, "Ada", 18.43m));
        source.Set("text", "kept");

        using var target = new LruBackend(10, _time);
        var result = Load(target, Save(source));

        Assert.Equal(new CacheSnapshotResult(Entries: 1, Skipped: 1), result);
        Assert.Equal(["text"], target.LiveKeys());
    }

    [Fact]
    public void Registering_a_type_the_serializer_cannot_round_trip_is_refused()
    {
        using var backend = new LruBackend(10, _time);

        var exception = Assert.Throws<ArgumentException>(() => backend.SnapshotTypes.Add<IDisposable>());

        Assert.Contains("IDisposable", exception.Message, StringComparison.Ordinal);
        Assert.False(backend.SnapshotTypes.Contains(typeof(IDisposable)));
    }

    [Fact]
    public void Every_key_comes_back_exactly_lone_surrogates_included()
    {
        string[] keys = ["plain", "\uD800", "a\uDC00b", "\u00e9\u0301", "emoji \U0001F600"];
        using var source = new LruBackend(10, _time);
        foreach (var key in keys)
        {
            source.Set(key, key.Length);
        }

        using var target = new LruBackend(10, _time);
        Load(target, Save(source));

        Assert.Equal(keys.Order(StringComparer.Ordinal), target.LiveKeys());
        foreach (var key in keys)
        {
            Assert.True(target.TryGet<int>(key, out var length));
            Assert.Equal(key.Length, length);
        }
    }

    [Fact]
    public void A_snapshot_cut_at_any_length_is_refused_and_loads_nothing()
    {
        var bytes = SmallSnapshot();
        using var target = new LruBackend(10, _time);
        target.Put("existing");

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<CacheSnapshotException>(() => target.Load(bytes.AsMemory(0, length)));
            Assert.Equal(["existing"], target.LiveKeys());
        }

        Assert.Equal(new CacheSnapshotResult(3, 0), target.Load(bytes));
    }

    [Fact]
    public void Random_damage_is_refused_and_loads_nothing()
    {
        var bytes = SmallSnapshot();
        var random = new Random(20261130);
        using var target = new LruBackend(10, _time);
        target.Put("existing");

        for (var round = 0; round < 2_000; round++)
        {
            var damaged = bytes.ToArray();
            var flips = random.Next(1, 4);
            for (var i = 0; i < flips; i++)
            {
                damaged[random.Next(damaged.Length)] ^= (byte)random.Next(1, 256);
            }

            Assert.Throws<CacheSnapshotException>(() => target.Load(damaged));
            Assert.Equal(["existing"], target.LiveKeys());
        }

        var extended = bytes.Concat(new byte[] { 0 }).ToArray();
        Assert.Throws<CacheSnapshotException>(() => target.Load(extended));
        Assert.Equal(["existing"], target.LiveKeys());
    }

    [Fact]
    public void A_forged_snapshot_with_a_valid_hash_is_still_checked_element_by_element()
    {
        var bytes = SmallSnapshot();

        // The body's entry count (after the [savedAt, entries] header) rewritten to claim a million entries, hash redone.
        var forged = Rehash(bytes, body =>
        {
            var reader = new MessagePack.MessagePackReader(body);
            reader.ReadArrayHeader();
            reader.ReadInt64();
            var countAt = (int)reader.Consumed;
            Assert.Equal(0x93, body[countAt]);
            return [.. body[..countAt], 0xdd, 0x00, 0x0f, 0x42, 0x40, .. body[(countAt + 1)..]];
        });
        using var target = new LruBackend(10, _time);
        target.Put("existing");

        var exception = Assert.Throws<CacheSnapshotException>(() => target.Load(forged));

        Assert.Contains("malformed", exception.Message, StringComparison.Ordinal);
        Assert.Equal(["existing"], target.LiveKeys());
    }

    [Fact]
    public void A_snapshot_of_another_version_is_refused_with_a_message_naming_both_versions()
    {
        var bytes = SmallSnapshot();
        bytes[6] = 2;

        var exception = Assert.Throws<CacheSnapshotException>(() => new LruBackend(10, _time).Load(bytes));

        Assert.Contains("version 2", exception.Message, StringComparison.Ordinal);
        Assert.Contains("version 1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Something_that_is_not_a_snapshot_is_refused_as_such()
    {
        var exception = Assert.Throws<CacheSnapshotException>(() => new LruBackend(10, _time).Load("{\"k\": 1}"u8.ToArray()));

        Assert.Contains("not a Cacheweave cache snapshot", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_and_load_work_through_streams_and_refuse_null_streams()
    {
        using var source = new LruBackend(10, _time);
        source.Put("k");
        using var stream = new MemoryStream();

        Assert.Equal(new CacheSnapshotResult(1, 0), await source.SaveAsync(stream));
        stream.Position = 0;
        using var target = new LruBackend(10, _time);
        Assert.Equal(new CacheSnapshotResult(1, 0), await target.LoadAsync(stream));

        Assert.Equal(["k"], target.LiveKeys());
        Assert.Equal("destination", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await source.SaveAsync(null!))).ParamName);
        Assert.Equal("source", (await Assert.ThrowsAsync<ArgumentNullException>(async () => await target.LoadAsync(null!))).ParamName);
    }

    [Fact]
    public void Saving_does_not_count_as_a_use()
    {
        using var source = new LruBackend(2, _time);
        source.PutAll("a", "b");

        Save(source);
        source.Put("c");

        Assert.Equal(["b", "c"], source.LiveKeys());
        Assert.Equal(0, source.Statistics.Hits);
    }

    private byte[] SmallSnapshot()
    {
        using var source = new LruBackend(10, _time);
        source.Set("a", "alpha", new CacheEntryOptions { TimeToLive = TimeSpan.FromMinutes(5) });
        source.Set("b", 2);
        source.Set<string?>("c", null, new CacheEntryOptions { TimeToLive = TimeSpan.FromMinutes(5), Sliding = true });
        return Save(source);
    }

    private static byte[] Rehash(byte[] snapshot, Func<byte[], byte[]> changeBody)
    {
        const int HeaderSize = 15;
        var body = changeBody(snapshot[HeaderSize..^SHA256.HashSizeInBytes]);
        var header = snapshot[..HeaderSize];
        BinaryPrimitives.WriteInt64BigEndian(header.AsSpan(7), body.Length);
        byte[] unhashed = [.. header, .. body];
        return [.. unhashed, .. SHA256.HashData(unhashed)];
    }

    private static byte[] Save(InMemoryBackend backend) => backend.CaptureSnapshot().Bytes;

    private static CacheSnapshotResult Load(InMemoryBackend backend, byte[] bytes) => backend.Load(bytes);

    private static InMemoryBackend Create(BackendPolicy policy, TimeProvider time, int capacity = 100) =>
        InMemoryBackends.Create(policy, capacity, time);
}
