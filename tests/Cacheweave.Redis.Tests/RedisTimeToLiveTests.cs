using Cacheweave.Backends;
using Cacheweave.Redis.Tests.Infrastructure;
using Cacheweave.Resilience;
using StackExchange.Redis;

namespace Cacheweave.Redis.Tests;

/// <summary>
/// Time-to-live operations and sliding expiry on a real redis-server. Redis keeps its own clock, so instead of waiting,
/// the tests shorten a key's expiry behind the backend's back (PEXPIRE) and look at what a hit does to it.
/// </summary>
public sealed class RedisTimeToLiveTests(RedisServerFixture fixture) : RedisTestBase(fixture)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Shortened = TimeSpan.FromSeconds(30);
    private static readonly CacheEntryOptions SlidingHour = new() { TimeToLive = Hour, Sliding = true };

    [Fact]
    public async Task A_hit_on_a_sliding_entry_pushes_its_expiry_back_to_the_full_window()
    {
        var backend = CreateRedisBackend();
        await backend.PutAsync("k", "v", SlidingHour);
        await Database.KeyExpireAsync(Prefix + "k", Shortened);

        Assert.Equal(new CacheResult<string>("v"), await backend.GetAsync<string>("k"));

        Assert.InRange((await Database.KeyTimeToLiveAsync(Prefix + "k"))!.Value, Hour - TimeSpan.FromMinutes(1), Hour);
    }

    [Fact]
    public async Task Writes_of_other_keys_misses_and_time_to_live_reads_do_not_push_a_sliding_expiry()
    {
        var backend = CreateRedisBackend();
        await backend.PutAsync("k", "v", SlidingHour);
        await Database.KeyExpireAsync(Prefix + "k", Shortened);

        await backend.PutAsync("other", "w", SlidingHour);
        Assert.False((await backend.GetAsync<string>("missing")).HasValue);
        Assert.True((await backend.GetAsync<string>("other")).HasValue);
        var reported = (await backend.GetTimeToLiveAsync("k")).Value;

        Assert.InRange(reported!.Value, TimeSpan.Zero, Shortened);
        Assert.InRange((await Database.KeyTimeToLiveAsync(Prefix + "k"))!.Value, TimeSpan.Zero, Shortened);
    }

    [Fact]
    public async Task A_hit_on_an_entry_that_does_not_slide_leaves_its_expiry_alone()
    {
        var backend = CreateRedisBackend();
        await backend.PutAsync("k", "v", new CacheEntryOptions { TimeToLive = Hour });
        await Database.KeyExpireAsync(Prefix + "k", Shortened);

        Assert.True((await backend.GetAsync<string>("k")).HasValue);

        Assert.InRange((await Database.KeyTimeToLiveAsync(Prefix + "k"))!.Value, TimeSpan.Zero, Shortened);
    }

    [Fact]
    public async Task A_read_with_expiry_of_a_sliding_entry_slides_it_and_reports_the_full_window()
    {
        var backend = CreateRedisBackend();
        await backend.PutAsync("k", 5, SlidingHour);
        await Database.KeyExpireAsync(Prefix + "k", Shortened);

        var (result, remaining) = await backend.GetWithExpiryAsync<int>("k");

        Assert.Equal(new CacheResult<int>(5), result);
        Assert.Equal(Hour, remaining);
        Assert.InRange((await Database.KeyTimeToLiveAsync(Prefix + "k"))!.Value, Hour - TimeSpan.FromMinutes(1), Hour);
    }

    [Fact]
    public async Task A_time_to_live_change_ends_the_sliding_and_keeps_the_value()
    {
        var backend = CreateRedisBackend();
        await backend.PutAsync("k", "v", SlidingHour);

        Assert.True(await backend.SetTimeToLiveAsync("k", Hour));
        await Database.KeyExpireAsync(Prefix + "k", Shortened);

        Assert.Equal(new CacheResult<string>("v"), await backend.GetAsync<string>("k"));
        Assert.InRange((await Database.KeyTimeToLiveAsync(Prefix + "k"))!.Value, TimeSpan.Zero, Shortened);
        Assert.Equal(0, backend.MalformedValues);
    }

    [Fact]
    public async Task Time_to_live_reads_and_changes_map_onto_PTTL_PEXPIRE_PEXPIREAT_and_PERSIST()
    {
        var backend = CreateRedisBackend();
        await backend.PutAsync("k", "v", new CacheEntryOptions { TimeToLive = Hour });

        Assert.True(await backend.SetTimeToLiveAsync("k", TimeSpan.FromMilliseconds(123_456.2)));
        Assert.InRange((long)await Database.ExecuteAsync("PTTL", Prefix + "k"), 120_000, 123_457);

        Assert.True(await backend.SetTimeToLiveAsync("k", null));
        Assert.Equal(-1, (long)await Database.ExecuteAsync("PTTL", Prefix + "k"));

        var instant = DateTimeOffset.UtcNow + TimeSpan.FromDays(3);
        Assert.True(await backend.ExpireAtAsync("k", instant));
        Assert.Equal(instant.ToUnixTimeMilliseconds(), (long)await Database.ExecuteAsync("PEXPIRETIME", Prefix + "k"));

        Assert.True(await backend.ExpireAtAsync("k", DateTimeOffset.UnixEpoch));
        Assert.False(await Database.KeyExistsAsync(Prefix + "k"));
    }

    [Fact]
    public async Task A_sliding_entry_is_stored_behind_its_envelope_and_a_broken_envelope_is_a_logged_miss()
    {
        var backend = CreateRedisBackend();
        await backend.PutAsync("k", "v", SlidingHour);

        var stored = (byte[])(await Database.StringGetAsync(Prefix + "k"))!;
        Assert.Equal((byte)'S', stored[0]);
        Assert.Equal(Hour.TotalMilliseconds, System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(stored.AsSpan(1, 8)));

        await Database.StringSetAsync(Prefix + "short", new byte[] { (byte)'S', 0, 0 });
        var negative = (byte[])stored.Clone();
        negative[1] = 0xff;
        await Database.StringSetAsync(Prefix + "negative", negative, Shortened);

        Assert.False((await backend.GetAsync<string>("short")).HasValue);
        Assert.False((await backend.GetAsync<string>("negative")).HasValue);
        Assert.Equal(2, backend.MalformedValues);
        Assert.InRange((await Database.KeyTimeToLiveAsync(Prefix + "negative"))!.Value, TimeSpan.Zero, Shortened);
    }

    [Fact]
    public async Task A_time_to_live_change_while_the_connection_is_still_being_made_is_not_reported_as_done()
    {
        var connecting = new ConnectingRedisBackend(
            new TaskCompletionSource<ConnectionMultiplexer>().Task, new RedisBackendOptions { KeyPrefix = Prefix }, null);
        using var backend = new ResilientCacheBackend(connecting);

        await Assert.ThrowsAsync<CacheBackendUnavailableException>(async () => await backend.SetTimeToLiveAsync("k", Hour));
        await Assert.ThrowsAsync<CacheBackendUnavailableException>(async () => await backend.GetTimeToLiveAsync("j"));

        Assert.Equal(1, backend.PendingInvalidationCount);
        Assert.False((await backend.GetAsync<string>("k")).HasValue);
    }
}
