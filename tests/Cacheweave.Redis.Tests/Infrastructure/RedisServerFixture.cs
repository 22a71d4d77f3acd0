using StackExchange.Redis;

namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>One redis-server for the whole Redis collection, started on a free loopback port and killed afterwards.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private RedisServer? _server;

    /// <summary>The server; fails the test when redis-server is missing (only reachable under CI=true, otherwise the test is skipped).</summary>
    public RedisServer Server => _server ?? throw new InvalidOperationException(
        "redis-server was not found (PATH, or CACHEWEAVE_REDIS_SERVER) and CI=true: the Redis tests cannot run. Install it with apt-get install -y redis-server.");

    /// <summary>Opens a connection of its own, set up as the Redis tier sets up the connections it opens.</summary>
    public ConnectionMultiplexer Connect(Action<ConfigurationOptions>? configure = null) => ConnectTo(Server.Configuration, configure);

    /// <summary>Opens a connection to <paramref name="configuration"/>, set up as the Redis tier sets up the connections it opens.</summary>
    public static ConnectionMultiplexer ConnectTo(string configuration, Action<ConfigurationOptions>? configure = null)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = 2_000;
        configure?.Invoke(options);
        return ConnectionMultiplexer.Connect(options);
    }

    public async Task InitializeAsync()
    {
        if (RedisServer.BinaryPath is { } binary)
        {
            _server = await RedisServer.StartAsync(binary);
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
