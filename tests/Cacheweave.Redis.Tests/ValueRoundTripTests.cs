using Cacheweave.Backends;
using Cacheweave.Redis.Tests.Infrastructure;
using Cacheweave.Serialization;
using MessagePack;

namespace Cacheweave.Redis.Tests;

/// <summary>
/// Every supported result shape, written to a real Redis and read back with each value serializer, equals what the
/// in-memory backend returns, member by member.
/// </summary>
public sealed class ValueRoundTripTests(RedisServerFixture fixture) : RedisTestBase(fixture)
{
    public enum Status
    {
        New,
        Paid = 5,
        Shipped = -1,
    }

    public sealed record Line(string Sku, int Quantity, decimal Price);

    public sealed record Order(
        int Id,
        string Customer,
        List<Line> Lines,
        Dictionary<string, List<int>> Tags,
        Dictionary<int, string> Notes,
        int[][] Matrix,
        int? Discount,
        string? Comment,
        Status Status,
        byte[] Signature,
        DateTime PlacedUtc,
        DateTime PlacedLocal,
        DateTime PlacedUnspecified,
        DateTimeOffset Confirmed,
        TimeSpan Window,
        Guid Reference,
        decimal Total,
        double Weight);

    /// <summary>Issue 8: a class whose members have private setters, bound by its constructor.</summary>
    public sealed class Account
    {
        public Account(int id, string owner)
        {
            Id = id;
            Owner = owner;
        }

        public int Id { get; private set; }

        public string Owner { get; private set; }

        public decimal Balance { get; set; }

        public List<string> History { get; set; } = [];
    }

    [Union(0, typeof(Circle))]
    [Union(1, typeof(Square))]
    public abstract class Shape
    {
    }

    public sealed class Circle : Shape
    {
        public double Radius { get; set; }
    }

    public sealed class Square : Shape
    {
        public double Side { get; set; }
    }

    public sealed class Drawing
    {
        public List<Shape> Shapes { get; set; } = [];

        public Shape? Main { get; set; }
    }

    public static TheoryData<string> Serializers() => ["MessagePack", "SystemTextJson"];

    private static ICacheValueSerializer Serializer(string name) => name == "MessagePack"
        ? MessagePackCacheValueSerializer.Instance
        : SystemTextJsonCacheValueSerializer.Instance;

    private RedisBackend Backend(string serializer) => new(
        Multiplexer,
        new RedisBackendOptions { KeyPrefix = Prefix, ValueSerializer = Serializer(serializer) },
        Logger<RedisBackend>());

    private async Task AssertRoundTripsAsync<T>(string serializer, T value)
    {
        var redis = Backend(serializer);
        using var memory = new LruBackend(10);
        var key = "value:" + Guid.NewGuid().ToString("N");
        await memory.PutAsync(key, value);
        await redis.PutAsync(key, value);

        var expected = await memory.GetAsync<T>(key);
        var read = await redis.GetAsync<T>(key);
        var readWithExpiry = await redis.GetWithExpiryAsync<T>(key);

        Assert.True(read.HasValue, $"{typeof(T)} was a miss: {string.Join(" | ", Logs.GetSnapshot().Select(l => l.Message))}");
        Assert.True(readWithExpiry.Result.HasValue);
        FieldByField.AssertEqual(expected.Value, read.Value);
        FieldByField.AssertEqual(expected.Value, readWithExpiry.Result.Value);
        Assert.Equal(0, redis.MalformedValues);
    }

    internal static Order SampleOrder() => new(
        Id: 42,
        Customer: "Ada Lovelace",
        Lines: [new Line("SKU-1", 2, 9.99m), new Line("SKU-ü", 1, 0.0001m)],
        Tags: new() { ["gift"] = [1, 2, 3], ["empty"] = [] },
        Notes: new() { [1] = "first", [-7] = "negative key" },
        Matrix: [[1, 2], [], [3]],
        Discount: null,
        Comment: null,
        Status: Status.Shipped,
        Signature: [0, 1, 2, 255],
        PlacedUtc: new DateTime(2026, 11, 30, 1, 2, 3, 456, DateTimeKind.Utc).AddTicks(7),
        PlacedLocal: new DateTime(2026, 6, 1, 12, 0, 0, DateTimeKind.Local),
        PlacedUnspecified: new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Unspecified),
        Confirmed: new DateTimeOffset(2026, 11, 30, 9, 30, 0, TimeSpan.FromHours(5.5)),
        Window: TimeSpan.FromTicks(123_456_789),
        Reference: Guid.Parse("7f1d2c3b-0000-4000-8000-1234567890ab"),
        Total: 79228162514264337593543950335m,
        Weight: -0.125);

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task Primitives_round_trip(string serializer)
    {
        await AssertRoundTripsAsync(serializer, 42);
        await AssertRoundTripsAsync(serializer, long.MinValue);
        await AssertRoundTripsAsync(serializer, ulong.MaxValue);
        await AssertRoundTripsAsync(serializer, true);
        await AssertRoundTripsAsync(serializer, 'x');
        await AssertRoundTripsAsync(serializer, double.NaN);
        await AssertRoundTripsAsync(serializer, double.NegativeInfinity);
        await AssertRoundTripsAsync(serializer, 3.14f);
        await AssertRoundTripsAsync(serializer, 0.1m);
        await AssertRoundTripsAsync(serializer, -79228162514264337593543950335m);
        await AssertRoundTripsAsync(serializer, Guid.NewGuid());
        await AssertRoundTripsAsync(serializer, TimeSpan.FromMilliseconds(-1.5));
        await AssertRoundTripsAsync(serializer, Status.Paid);
        await AssertRoundTripsAsync(serializer, (Status)99);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task Dates_keep_their_kind_and_offset(string serializer)
    {
        await AssertRoundTripsAsync(serializer, new DateTime(2026, 11, 30, 1, 2, 3, DateTimeKind.Utc));
        await AssertRoundTripsAsync(serializer, new DateTime(2026, 11, 30, 1, 2, 3, DateTimeKind.Local));
        await AssertRoundTripsAsync(serializer, new DateTime(2026, 11, 30, 1, 2, 3, DateTimeKind.Unspecified));
        await AssertRoundTripsAsync(serializer, DateTime.MaxValue);
        await AssertRoundTripsAsync(serializer, new DateTimeOffset(2026, 11, 30, 1, 2, 3, TimeSpan.FromHours(-3)));
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task Strings_round_trip_exactly(string serializer)
    {
        await AssertRoundTripsAsync(serializer, string.Empty);
        await AssertRoundTripsAsync(serializer, "plain");
        await AssertRoundTripsAsync(serializer, "ünïcödé \u0000 \t \"quoted\" \\ \U0001F600");
        await AssertRoundTripsAsync(serializer, "a\uFFFD");
    }

    [Fact]
    public async Task Strings_with_lone_surrogates_round_trip_with_MessagePack()
    {
        foreach (var text in new[] { "a\uD800", "a\uDFFF", "\uDFFF\uD800", "\uD83D" })
        {
            await AssertRoundTripsAsync("MessagePack", text);
            await AssertRoundTripsAsync("MessagePack", new Line(text, 1, 1m));
        }
    }

    [Fact]
    public async Task A_string_with_a_lone_surrogate_is_refused_by_System_Text_Json_and_not_written()
    {
        var backend = Backend("SystemTextJson");

        var error = await Assert.ThrowsAsync<CacheValueRejectedException>(async () => await backend.PutAsync("lone", new Line("a\uD800", 1, 1m)));

        Assert.Equal("lone", error.Key);
        Assert.Equal(CacheValueRejectionReason.Unserializable, error.Reason);
        Assert.False(await Database.KeyExistsAsync(Prefix + "lone"));
        Assert.Equal(1, backend.RejectedValues);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task A_record_with_nested_collections_dictionaries_nullables_enums_dates_and_bytes_round_trips(string serializer)
    {
        await AssertRoundTripsAsync(serializer, SampleOrder());
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task Private_setters_bound_by_a_constructor_keep_their_values(string serializer)
    {
        var account = new Account(42, "Ada") { Balance = 12.5m, History = ["opened", "credited"] };

        await AssertRoundTripsAsync(serializer, account);

        var read = await Backend(serializer).GetAsync<Account>("missing");
        Assert.False(read.HasValue);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task Collections_and_dictionaries_round_trip_as_results(string serializer)
    {
        await AssertRoundTripsAsync(serializer, new List<Line> { new("a", 1, 1m), new("b", 2, 2m) });
        await AssertRoundTripsAsync(serializer, new Dictionary<string, Line> { ["a"] = new("a", 1, 1m) });
        await AssertRoundTripsAsync(serializer, new[] { 1, 2, 3 });
        await AssertRoundTripsAsync(serializer, new[] { "x", string.Empty });
        await AssertRoundTripsAsync(serializer, new List<List<string>> { new() { "a" }, new() });
        await AssertRoundTripsAsync(serializer, Array.Empty<int>());
        await AssertRoundTripsAsync(serializer, new byte[] { 1, 2, 3 });
        await AssertRoundTripsAsync<IReadOnlyList<int>>(serializer, new List<int> { 4, 5 });
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task Null_and_nullable_results_round_trip(string serializer)
    {
        await AssertRoundTripsAsync<Line?>(serializer, null);
        await AssertRoundTripsAsync<string?>(serializer, null);
        await AssertRoundTripsAsync<int?>(serializer, null);
        await AssertRoundTripsAsync<int?>(serializer, 7);
        await AssertRoundTripsAsync<Status?>(serializer, Status.New);
    }

    [Fact]
    public async Task Subtypes_declared_with_Union_round_trip_with_MessagePack()
    {
        var drawing = new Drawing { Shapes = [new Circle { Radius = 1.5 }, new Square { Side = 2 }], Main = new Square { Side = 3 } };

        await AssertRoundTripsAsync("MessagePack", drawing);
        await AssertRoundTripsAsync<Shape>("MessagePack", new Circle { Radius = 4 });
        Assert.True(MessagePackCacheValueSerializer.Instance.CanRoundTrip(typeof(Drawing), out var problem), problem);
    }
}
