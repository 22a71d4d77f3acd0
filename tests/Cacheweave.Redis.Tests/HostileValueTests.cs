using Cacheweave.Redis.Tests.Infrastructure;
using MessagePack;
using Microsoft.Extensions.Logging;

namespace Cacheweave.Redis.Tests;

/// <summary>Bytes planted in Redis by someone else are a miss and a log line: never an exception, never a foreign type.</summary>
public sealed class HostileValueTests(RedisServerFixture fixture) : RedisTestBase(fixture)
{
    public sealed record Invoice(int Number, string Customer);

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
    }

    [Fact]
    public async Task A_typeless_payload_naming_another_type_is_a_miss_and_creates_nothing()
    {
        var backend = CreateRedisBackend();
        var typeless = MessagePackSerializer.Typeless.Serialize(new Gadget { Command = "rm -rf /" });
        Assert.Contains("Gadget", System.Text.Encoding.UTF8.GetString(typeless), StringComparison.Ordinal);
        await Database.StringSetAsync(Prefix + "typeless", (byte[])[0x01, .. typeless]);
        var before = Gadget.Instances;

        var asInvoice = await backend.GetAsync<Invoice>("typeless");
        var asObject = await backend.GetAsync<object>("typeless");

        Assert.False(asInvoice.HasValue);
        Assert.True(!asObject.HasValue || asObject.Value is not Gadget, "An object read must never produce the type the payload names.");
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
        await Database.StringSetAsync(Prefix + "k", new byte[] { 0x00 });

        var asInt = await backend.GetAsync<int>("k");
        var asNullableInt = await backend.GetAsync<int?>("k");

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
