using Cacheweave.Backends;
using Cacheweave.Redis.Tests.Infrastructure;
using Cacheweave.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace Cacheweave.Redis.Tests;

/// <summary>
/// A removal made while redis-server was down is pending in the process that made it. Here a real server with an
/// append-only file is SIGKILLed and restarted, so the removed value comes back from disk, and the process stops
/// before its own recovery has sent the removal: disposing must send it (and tell the other node), or log the key as
/// still owed. Before session 8 the removal was dropped in silence and every node served the old value.
/// </summary>
public sealed class PendingAtDisposeRedisTests(RedisServerFixture fixture) : RedisTestBase(fixture)
{
    [Fact]
    public async Task A_node_stopping_after_redis_came_back_sends_its_pending_removal_and_the_other_node_drops_its_copy()
    {
        _ = Fixture.Server;
        await using var server = await RedisServer.StartAsync(RedisServer.BinaryPath!, "--appendonly", "yes", "--appendfsync", "always");
        await using var admin = await Connect(server);
        var direct = new RedisBackend(admin, new RedisBackendOptions { KeyPrefix = Prefix });
        var stoppingLogs = new FakeLogCollector();
        // Disposed in the middle of the test; disposing again at the end is a no-op.
        await using var stopping = Node(server, Prefix, stoppingLogs, probeInterval: TimeSpan.FromHours(1));
        await using var other = Node(server, Prefix, new FakeLogCollector(), probeInterval: TimeSpan.FromMilliseconds(100));
        await direct.PutAsync("price", 1);
        await Eventually.HoldsAsync(
            async () => await Reads(stopping, 1) && await Reads(other, 1) && other.IsListening,
            TimeSpan.FromSeconds(10),
            "both nodes read the value before the fault");

        server.Kill();
        await stopping.Backend.RemoveAsync("price");
        Assert.Equal(1, stopping.Backend.SharedTier.PendingInvalidationCount);

        // The append-only file brings the removed value back; the other node reconnects, drops its local copies and
        // reads it again. The stopping node's recovery would wait an hour before replaying.
        await server.StartAsync();
        await Eventually.HoldsAsync(
            async () => (await direct.GetAsync<int>("price")) is { HasValue: true, Value: 1 } && stopping.Multiplexer.IsConnected && other.IsListening
                && await Reads(other, 1),
            TimeSpan.FromSeconds(30),
            "redis is back with the removed value, and the other node serves it");

        await stopping.DisposeAsync();

        Assert.False((await direct.GetAsync<int>("price")).HasValue, "the pending removal was not sent at disposal");
        Assert.Equal(1, stopping.Backend.SharedTier.ReplayedInvalidationCount);
        Assert.DoesNotContain(stoppingLogs.GetSnapshot(), log => log.Id.Id == 1112);
        await Eventually.HoldsAsync(
            async () => !(await other.Backend.GetAsync<int>("price")).HasValue,
            TimeSpan.FromSeconds(10),
            "the other node drops its local copy when the disposing node announces the replayed removal");
    }

    [Fact]
    public async Task A_node_stopping_while_redis_is_still_down_logs_the_removal_it_still_owes_by_key()
    {
        _ = Fixture.Server;
        await using var server = await RedisServer.StartAsync(RedisServer.BinaryPath!);
        var logs = new FakeLogCollector();
        await using var node = Node(server, Prefix, logs, probeInterval: TimeSpan.FromHours(1));
        await node.Backend.PutAsync("price", 1);

        server.Kill();
        await node.Backend.RemoveAsync("price");
        await node.DisposeAsync();

        var owed = Assert.Single(logs.GetSnapshot(), log => log.Id.Id == 1112);
        Assert.Equal(LogLevel.Error, owed.Level);
        Assert.Contains("price", owed.Message, StringComparison.Ordinal);
        Assert.Equal(0, node.Backend.SharedTier.ReplayedInvalidationCount);
    }

    private static async Task<bool> Reads(RedisNode node, int expected) =>
        (await node.Backend.GetAsync<int>("price")) is { HasValue: true } read && read.Value == expected;

    private static Task<ConnectionMultiplexer> Connect(RedisServer server) =>
        ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { server.EndPoint }, AbortOnConnectFail = false });

    // The replay at disposal gets a generous timeout: on a loaded machine it must not time out on a healthy server.
    private static RedisNode Node(RedisServer server, string prefix, FakeLogCollector logs, TimeSpan probeInterval) =>
        new(server, prefix, logs, new ResilientCacheBackendOptions
        {
            Timeout = TimeSpan.FromSeconds(2),
            ProbeInterval = probeInterval,
            CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 100, BreakDuration = TimeSpan.FromMilliseconds(200) },
        });
}
