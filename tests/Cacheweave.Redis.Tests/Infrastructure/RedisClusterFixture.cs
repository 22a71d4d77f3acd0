using StackExchange.Redis;

namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>One three-master Redis Cluster for the whole cluster collection, started once and torn down afterwards.</summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    private RedisCluster? _cluster;

    /// <summary>
    /// The cluster; fails the test when redis-server or redis-cli is missing (only reachable under CI=true,
    /// otherwise the test is skipped).
    /// </summary>
    public RedisCluster Cluster => _cluster ?? throw new InvalidOperationException(
        "redis-server or redis-cli was not found (PATH, or CACHEWEAVE_REDIS_SERVER) and CI=true: the Redis Cluster tests cannot run. " +
        "Install both with apt-get install -y redis-server.");

    /// <summary>
    /// Opens a cluster connection of its own (every master as a seed), set up as the Redis tier sets up the
    /// connections it opens.
    /// </summary>
    public ConnectionMultiplexer Connect(Action<ConfigurationOptions>? configure = null) =>
        RedisServerFixture.ConnectTo(Cluster.Configuration, options =>
        {
            // Three nodes to reach and a cluster to discover on a busy machine.
            options.ConnectTimeout = 5_000;
            configure?.Invoke(options);
        });

    public async Task InitializeAsync()
    {
        if (RedisServer.BinaryPath is { } server && RedisCluster.CliPath is { } cli)
        {
            _cluster = await RedisCluster.StartAsync(server, cli);
        }
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
