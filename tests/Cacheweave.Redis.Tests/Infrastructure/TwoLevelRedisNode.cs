using Cacheweave.Backends;
using Cacheweave.Resilience;
using Cacheweave.Tiers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>
/// One process's two-level cache on a test's own <see cref="RedisServer"/>: its own connection (fail-fast, no abort
/// on a failed connect), an invalidation channel, the shared tier under <see cref="ResilientCacheBackend"/> with the
/// given options, and an LRU+TTL local tier. Disposing twice is a no-op, so a test may stop a node midway.
/// </summary>
public sealed class TwoLevelRedisNode : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _multiplexer;
    private bool _disposed;

    public TwoLevelRedisNode(RedisServer server, string prefix, FakeLogCollector logs, ResilientCacheBackendOptions resilience)
    {
        var options = ConfigurationOptions.Parse(server.Configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = 2_000;
        _multiplexer = ConnectionMultiplexer.Connect(options);
        var loggers = new LoggerFactory([new FakeLoggerProvider(logs)]);
        Channel = new RedisInvalidationChannel(_multiplexer, prefix + "invalidation", loggers.CreateLogger<RedisInvalidationChannel>());
        Backend = new TwoLevelBackend(
            new LruTtlBackend(1_000, TimeSpan.FromMinutes(5)),
            new ResilientCacheBackend(
                new RedisBackend(_multiplexer, new RedisBackendOptions { KeyPrefix = prefix }),
                resilience,
                loggers.CreateLogger<ResilientCacheBackend>()),
            Channel,
            new TwoLevelBackendOptions { MaxLocalTimeToLive = TimeSpan.FromMinutes(5) },
            loggers);
    }

    public TwoLevelBackend Backend { get; }

    public RedisInvalidationChannel Channel { get; }

    /// <summary>Whether the node's subscription is confirmed live (it keeps local copies again).</summary>
    public bool IsListening => ((IListeningInvalidationChannel)Channel).IsListening;

    /// <summary>Whether the node's connection is up.</summary>
    public bool IsConnected => _multiplexer.IsConnected;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await Backend.DisposeAsync();
        await _multiplexer.DisposeAsync();
    }
}
