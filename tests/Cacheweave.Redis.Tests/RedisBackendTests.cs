using Cacheweave.Backends;
using Cacheweave.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Cacheweave.Redis.Tests;

public sealed class RedisBackendTests(RedisServerFixture fixture) : RedisTestBase(fixture)
{
    public sealed record Order(int Id, string Customer, decimal Total, IReadOnlyList<string> Lines);

    public sealed class MutableProfile
    {
        public string? Name { get; set; }

        public DateTime Born { get; set; }
    }

    [Fact]
    public async Task A_record_round_trips_through_redis()
    {
        var backend = CreateRedisBackend();
        var order = new Order(7, "Ada", 12.50m, ["tea", "scones"]);

        await backend.PutAsync("order:7", order);
        var read = await backend.GetAsync<Order>("order:7");

        Assert.True(read.HasValue);
        Assert.Equal(order.Id, read.Value!.Id);
        Assert.Equal(order.Customer, read.Value.Customer);
        Assert.Equal(order.Total, read.Value.Total);
        Assert.Equal(order.Lines, read.Value.Lines);
    }

    [Fact]
    public async Task A_plain_class_round_trips_and_keeps_the_kind_of_its_dates()
    {
        var backend = CreateRedisBackend();
        var born = new DateTime(1815, 12, 10, 8, 0, 0, DateTimeKind.Local);

        await backend.PutAsync("profile", new MutableProfile { Name = "Ada", Born = born });
        var read = await backend.GetAsync<MutableProfile>("profile");

        Assert.Equal("Ada", read.Value!.Name);
        Assert.Equal(born, read.Value.Born);
        Assert.Equal(DateTimeKind.Local, read.Value.Born.Kind);
    }

    [Fact]
    public async Task A_cached_null_is_a_hit_and_a_missing_key_is_a_miss()
    {
        var backend = CreateRedisBackend();

        await backend.PutAsync<string?>("nothing", null);

        var cachedNull = await backend.GetAsync<string?>("nothing");
        var missing = await backend.GetAsync<string?>("never-written");
        Assert.True(cachedNull.HasValue);
        Assert.Null(cachedNull.Value);
        Assert.False(missing.HasValue);
        var stored = (byte[]?)await Database.StringGetAsync(Prefix + "nothing");
        Assert.Equal(Cacheweave.Redis.Serialization.RedisValueCodec.HeaderSize, stored!.Length);
        Assert.Equal(Cacheweave.Redis.Serialization.RedisValueCodec.NullFlag, stored[2]);
    }

    [Fact]
    public async Task Every_key_is_written_under_the_prefix()
    {
        var backend = CreateRedisBackend();

        await backend.PutAsync("k", 42);

        Assert.True(await Database.KeyExistsAsync(Prefix + "k"));
        Assert.False(await Database.KeyExistsAsync("k"));
    }

    [Fact]
    public async Task A_time_to_live_becomes_a_redis_expiry_in_milliseconds()
    {
        var backend = CreateRedisBackend();

        await backend.PutAsync("short", 1, CacheEntryOptions.FromSeconds(90.25));
        await backend.PutAsync("forever", 2);

        var pttl = (long)await Database.ExecuteAsync("PTTL", (RedisKey)(Prefix + "short"));
        Assert.InRange(pttl, 89_000, 90_250);
        Assert.Null(await Database.KeyTimeToLiveAsync(Prefix + "forever"));
    }

    [Fact]
    public async Task A_sub_millisecond_time_to_live_is_rounded_up_rather_than_rejected()
    {
        var backend = CreateRedisBackend();

        // PX 0 would be an "invalid expire time" error from Redis.
        var error = await Record.ExceptionAsync(async () =>
            await backend.PutAsync("blink", 1, new CacheEntryOptions { TimeToLive = TimeSpan.FromTicks(3) }));

        Assert.Null(error);
    }

    [Fact]
    public async Task The_default_time_to_live_applies_to_entries_written_without_one()
    {
        var backend = new RedisBackend(Multiplexer, new RedisBackendOptions { KeyPrefix = Prefix, DefaultTimeToLive = TimeSpan.FromMinutes(5) });

        await backend.PutAsync("k", "v");

        var ttl = await Database.KeyTimeToLiveAsync(Prefix + "k");
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Get_with_expiry_reports_what_the_entry_has_left()
    {
        var backend = CreateRedisBackend();
        await backend.PutAsync("k", "v", CacheEntryOptions.FromSeconds(30));
        await backend.PutAsync("forever", "v");

        var expiring = await backend.GetWithExpiryAsync<string>("k");
        var persistent = await backend.GetWithExpiryAsync<string>("forever");
        var missing = await backend.GetWithExpiryAsync<string>("missing");

        Assert.Equal("v", expiring.Result.Value);
        Assert.InRange(expiring.RemainingTimeToLive!.Value, TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(30));
        Assert.Equal("v", persistent.Result.Value);
        Assert.Null(persistent.RemainingTimeToLive);
        Assert.False(missing.Result.HasValue);
    }

    [Fact]
    public async Task Remove_reports_whether_a_key_was_there()
    {
        var backend = CreateRedisBackend();
        await backend.PutAsync("k", 1);

        Assert.True(await backend.RemoveAsync("k"));
        Assert.False(await backend.RemoveAsync("k"));
        Assert.False((await backend.GetAsync<int>("k")).HasValue);
    }

    [Fact]
    public async Task A_value_messagepack_cannot_serialize_fails_with_an_exception_naming_the_key()
    {
        var backend = CreateRedisBackend();

        var error = await Assert.ThrowsAsync<Cacheweave.Serialization.CacheValueRejectedException>(async () => await backend.PutAsync<object>("bad", new Func<int>(() => 1)));

        Assert.Contains("bad", error.Message, StringComparison.Ordinal);
        Assert.Equal("bad", error.Key);
    }

    [Fact]
    public async Task Connect_opens_and_owns_a_connection_from_a_configuration_string()
    {
        var backend = RedisBackend.Connect(Fixture.Server.Configuration, new RedisBackendOptions { KeyPrefix = Prefix });
        await backend.PutAsync("k", "v");
        Assert.Equal("v", (await backend.GetAsync<string>("k")).Value);

        await backend.DisposeAsync();

        Assert.False(backend.Multiplexer.IsConnected);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await backend.GetAsync<string>("k"));
    }

    [Fact]
    public async Task ConnectAsync_opens_and_owns_a_connection_from_a_configuration_string()
    {
        var backend = await RedisBackend.ConnectAsync(Fixture.Server.Configuration, new RedisBackendOptions { KeyPrefix = Prefix });
        await backend.PutAsync("k", "async");
        Assert.Equal("async", (await backend.GetAsync<string>("k")).Value);

        await backend.DisposeAsync();

        Assert.False(backend.Multiplexer.IsConnected);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await backend.GetAsync<string>("k"));
    }

    [Fact]
    public async Task ConnectAsync_rejects_a_bad_configuration_at_once_and_bad_options_from_the_task()
    {
        // Thrown by the call itself, not from the task.
        Assert.Equal("configuration", Assert.ThrowsAny<ArgumentException>(() => { _ = RedisBackend.ConnectAsync(string.Empty); }).ParamName);
        Assert.Equal("configuration", Assert.ThrowsAny<ArgumentException>(() => { _ = RedisBackend.ConnectAsync("127.0.0.1:6379,notAnOption=1"); }).ParamName);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => RedisBackend.ConnectAsync(Fixture.Server.Configuration, new RedisBackendOptions { KeyPrefix = "" }));
        Assert.Contains("KeyPrefix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_with_a_cancelled_token_is_cancelled()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RedisBackend.ConnectAsync(Fixture.Server.Configuration, cancellationToken: new CancellationToken(canceled: true)));
    }

    [Fact]
    public void An_empty_prefix_is_rejected_because_clear_would_empty_the_database()
    {
        var error = Assert.Throws<ArgumentException>(() => new RedisBackend(Multiplexer, new RedisBackendOptions { KeyPrefix = "" }));

        Assert.Contains("KeyPrefix", error.Message, StringComparison.Ordinal);
    }
}
