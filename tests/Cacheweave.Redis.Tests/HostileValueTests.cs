using Cacheweave.Redis.Serialization;
using Cacheweave.Redis.Tests.Infrastructure;
using Cacheweave.Serialization;
using MessagePack;
using Microsoft.Extensions.Logging;

namespace Cacheweave.Redis.Tests;

/// <summary>Bytes planted in Redis by someone else are a miss and a log line: never an exception, never a foreign type.</summary>
public sealed class HostileValueTests(RedisServerFixture fixture) : RedisTestBase(fixture)
{
    public sealed record Invoice(int Number, string Customer);

    public sealed record Order(int Number, string Customer, decimal Total);

    /// <summary>A format-2 header as the codec writes it: version, serializer, flags, type fingerprint.</summary>
    private static byte[] Header(Type type, byte serializer = MessagePackCacheValueSerializer.Id, byte flags = 0)
    {
        var header = new byte[RedisValueCodec.HeaderSize];
        header[0] = RedisValueCodec.FormatVersion;
        header[1] = serializer;
        header[2] = flags;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(3), TypeFingerprint.Of(type));
        return header;
    }

    private static byte[] Encoded<T>(T value) => new RedisValueCodec(MessagePackCacheValueSerializer.Instance, 1 << 20, null).Encode(value);

    /// <summary>A type an attacker would like to see instantiated; it counts its instances.</summary>
    public sealed class Gadget
    {
        private static int s_instances;

        public Gadget() => Interlocked.Increment(ref s_instances);

        public static int Instances => Volatile.Read(ref s_instances);

        public string? Command { get; set; }
    }

    public static TheoryData<string, byte[]> MalformedValues()
    {
        var random = new Random(1234);
        var noise = new byte[64];
        random.NextBytes(noise);
        var invoice = MessagePackSerializer.Serialize(new Invoice(1, "Ada"), MessagePack.Resolvers.ContractlessStandardResolver.Options);
        return new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "random bytes", noise },
            { "unknown header", [0x7f, 0x01, 0x02] },
            { "null header with trailing bytes", [0x00, 0x01] },
            { "header without payload", [0x01] },
            { "truncated payload", [0x01, .. invoice.AsSpan(0, invoice.Length / 2)] },
            { "payload with trailing garbage", [0x01, .. invoice, 0xc0, 0xc0] },
            { "array claiming four billion elements", [0x01, 0xdd, 0xff, 0xff, 0xff, 0xff] },
            { "map claiming four billion entries", [0x01, 0xdf, 0xff, 0xff, 0xff, 0xff] },
            { "string claiming four gigabytes", [0x01, 0xdb, 0xff, 0xff, 0xff, 0xff, 0x41] },
            { "deeply nested arrays", [0x01, .. Enumerable.Repeat((byte)0x91, 5_000), 0xc0] },
            { "format 1: a valid Invoice behind the old one-byte header", [0x01, .. invoice] },
            { "another type's value (issue 8 point 9)", Encoded(new Order(1, "Ada", 10m)) },
            { "an empty map", [0x80] },
            { "an empty map behind another type's header", [.. Header(typeof(Order)), 0x80] },
            { "an Invoice payload behind another type's header", [.. Header(typeof(Order)), .. invoice] },
            { "an Invoice payload under the System.Text.Json serializer id", [.. Header(typeof(Invoice), SystemTextJsonCacheValueSerializer.Id), .. invoice] },
            { "a header without payload", Header(typeof(Invoice)) },
            { "a header with unknown flags", [.. Header(typeof(Invoice), flags: 0x04), .. invoice] },
            { "a null flag with a payload", [.. Header(typeof(Invoice), flags: RedisValueCodec.NullFlag), .. invoice] },
            { "a header with a truncated payload", [.. Header(typeof(Invoice)), .. invoice.AsSpan(0, invoice.Length / 2)] },
            { "a header with random bytes", [.. Header(typeof(Invoice)), .. noise] },
            { "a header with trailing garbage", [.. Header(typeof(Invoice)), .. invoice, 0xc0] },
            { "a header with deeply nested arrays", [.. Header(typeof(Invoice)), .. Enumerable.Repeat((byte)0x91, 5_000), 0xc0] },
            { "a compressed payload announcing two gigabytes", [.. Header(typeof(Invoice), flags: RedisValueCodec.Lz4Flag), 0xff, 0xff, 0xff, 0x7f, 0x00] },
            { "a compressed payload that does not decompress", [.. Header(typeof(Invoice), flags: RedisValueCodec.Lz4Flag), 0x20, 0x00, 0x00, 0x00, .. noise] },
            { "a header shorter than eleven bytes", Header(typeof(Invoice))[..7] },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedValues))]
    public async Task Malformed_bytes_under_a_key_are_a_logged_miss(string description, byte[] planted)
    {
        var backend = CreateRedisBackend();
        await Database.StringSetAsync(Prefix + "planted", planted);

        var read = await backend.GetAsync<Invoice>("planted");
        var readWithExpiry = await backend.GetWithExpiryAsync<Invoice>("planted");

        Assert.False(read.HasValue, description);
        Assert.False(readWithExpiry.Result.HasValue, description);
        Assert.Contains(Logs.GetSnapshot(), log => log.Level == LogLevel.Warning && log.Id.Id == 2001 && log.Message.Contains("planted", StringComparison.Ordinal));
        Assert.Equal(2, backend.MalformedValues);
    }

    [Fact]
    public async Task A_value_written_for_another_type_is_a_logged_miss_not_a_default_filled_object()
    {
        var backend = CreateRedisBackend();
        await backend.PutAsync("k", new Order(7, "Ada", 10m));

        var read = await backend.GetAsync<Invoice>("k");

        Assert.False(read.HasValue);
        Assert.Contains(Logs.GetSnapshot(), log => log.Id.Id == 2001 && log.Message.Contains("another type", StringComparison.Ordinal));
        Assert.Equal(new Order(7, "Ada", 10m), (await backend.GetAsync<Order>("k")).Value);
    }

    [Fact]
    public async Task A_value_written_by_the_other_serializer_is_a_logged_miss()
    {
        var json = new RedisBackend(Multiplexer, new RedisBackendOptions { KeyPrefix = Prefix, ValueSerializer = SystemTextJsonCacheValueSerializer.Instance }, Logger<RedisBackend>());
        await json.PutAsync("k", new Invoice(1, "Ada"));

        var read = await CreateRedisBackend().GetAsync<Invoice>("k");

        Assert.False(read.HasValue);
        Assert.Contains(Logs.GetSnapshot(), log => log.Id.Id == 2001 && log.Message.Contains("serializer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_typeless_payload_naming_another_type_is_a_miss_and_creates_nothing()
    {
        var backend = CreateRedisBackend();
        var typeless = MessagePackSerializer.Typeless.Serialize(new Gadget { Command = "rm -rf /" });
        Assert.Contains("Gadget", System.Text.Encoding.UTF8.GetString(typeless), StringComparison.Ordinal);
        await Database.StringSetAsync(Prefix + "typeless", (byte[])[0x01, .. typeless]);
        await Database.StringSetAsync(Prefix + "typeless2", (byte[])[.. Header(typeof(object)), .. typeless]);
        var before = Gadget.Instances;

        var asInvoice = await backend.GetAsync<Invoice>("typeless");
        var asObject = await backend.GetAsync<object>("typeless");

        Assert.False(asInvoice.HasValue);
        var asObject2 = await backend.GetAsync<object>("typeless2");
        Assert.True(!asObject.HasValue || asObject.Value is not Gadget, "An object read must never produce the type the payload names.");
        Assert.True(!asObject2.HasValue || asObject2.Value is not Gadget, "An object read must never produce the type the payload names.");
        Assert.Equal(before, Gadget.Instances);
    }

    [Fact]
    public async Task A_value_of_another_shape_is_a_miss_rather_than_a_half_filled_object()
    {
        var backend = CreateRedisBackend();
        await backend.PutAsync("k", new[] { 1, 2, 3 });

        var read = await backend.GetAsync<Invoice>("k");

        Assert.False(read.HasValue);
    }

    [Fact]
    public async Task A_cached_null_read_as_a_non_nullable_value_type_is_a_miss()
    {
        var backend = CreateRedisBackend();
        await Database.StringSetAsync(Prefix + "k", Header(typeof(int), flags: RedisValueCodec.NullFlag));
        await Database.StringSetAsync(Prefix + "n", Header(typeof(int?), flags: RedisValueCodec.NullFlag));

        var asInt = await backend.GetAsync<int>("k");
        var asNullableInt = await backend.GetAsync<int?>("n");

        Assert.False(asInt.HasValue);
        Assert.True(asNullableInt.HasValue);
        Assert.Null(asNullableInt.Value);
    }

    [Fact]
    public async Task A_key_holding_another_redis_type_is_a_miss_through_the_resilient_wrapper()
    {
        // GET on a list is a WRONGTYPE error from Redis: a fault of the tier, not of the caller.
        var backend = new Resilience.ResilientCacheBackend(CreateRedisBackend());
        await Database.ListLeftPushAsync(Prefix + "list", "x");

        var read = await backend.GetAsync<string>("list");

        Assert.False(read.HasValue);
    }
}
