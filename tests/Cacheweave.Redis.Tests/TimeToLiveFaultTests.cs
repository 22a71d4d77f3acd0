using Cacheweave.Backends;
using Cacheweave.Redis.Tests.Infrastructure;
using Cacheweave.Resilience;
using StackExchange.Redis;

namespace Cacheweave.Redis.Tests;

/// <summary>A time-to-live change that meets a paused redis-server of the test's own is never reported as done.</summary>
public sealed class TimeToLiveFaultTests(RedisServerFixture fixture) : RedisTestBase(fixture)
{
    [Fact]
    public async Task A_change_that_times_out_in_a_pause_throws_its_entry_is_never_served_and_is_removed_on_recovery()
    {
        _ = Fixture.Server;
        await using var server = await RedisServer.StartAsync(RedisServer.BinaryPath!);
        await using var admin = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { server.EndPoint },
            AllowAdmin = true,
            AbortOnConnectFail = false,
        });

        // Written without a timeout: on a loaded machine a short one could expire before any fault.
        var direct = new RedisBackend(admin, new RedisBackendOptions { KeyPrefix = Prefix });
        await direct.PutAsync("k", "v", new CacheEntryOptions { TimeToLive = TimeSpan.FromHours(1) });
        using var backend = new ResilientCacheBackend(
            RedisBackend.Connect(server.Configuration, new RedisBackendOptions { KeyPrefix = Prefix }),
            new ResilientCacheBackendOptions { Timeout = TimeSpan.FromMilliseconds(300), ProbeInterval = TimeSpan.FromMilliseconds(200) });
        await Eventually.HoldsAsync(async () => (await backend.GetAsync<string>("k")).HasValue, TimeSpan.FromSeconds(30), "the backend reads k before the fault");

        await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "5000", "ALL");

        await Assert.ThrowsAsync<CacheBackendUnavailableException>(async () => await backend.SetTimeToLiveAsync("k", TimeSpan.FromHours(2)));
        Assert.Equal(1, backend.PendingInvalidationCount);
        Assert.False((await backend.GetAsync<string>("k")).HasValue);
        Assert.Equal(CacheResult<TimeSpan?>.Miss, await backend.GetTimeToLiveAsync("k"));

        // Whether the abandoned PEXPIRE landed after the pause or not, the owed removal is replayed: no expiry is trusted.
        await Eventually.HoldsAsync(
            async () => backend.PendingInvalidationCount == 0 && !await admin.GetDatabase().KeyExistsAsync(Prefix + "k"),
            TimeSpan.FromSeconds(60),
            "the removal owed for k is replayed once the pause ends");
        Assert.False((await backend.GetAsync<string>("k")).HasValue);
    }
}
