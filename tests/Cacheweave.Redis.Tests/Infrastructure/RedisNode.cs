using Cacheweave.Backends;
using Cacheweave.Resilience;
using Cacheweave.Tiers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>
/// One "process" of a service sharing a Redis tier: a connection of its own, an in-memory L1, a Redis L2 and a
/// pub/sub invalidation channel, composed into a <see cref="TwoLevelBackend"/>.
/// </summary>
public sealed class RedisNode : IAsyncDisposable
{
    private readonly IDisposable _probe;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _receivedKeys = new();
    private int _received;
    private int _resets;
    private bool _disposed;

    public RedisNode(RedisServerFixture fixture, string prefix, FakeLogCollector logs, ResilientCacheBackendOptions? resilience = null)
        : this(fixture.Connect(), prefix, logs, resilience)
    {
    }

    /// <summary>
    /// A node on a connection of its own to a test's own <paramref name="server"/>, made as a service would make it to
    /// survive faults (no abort on a failed connect, commands fail fast while disconnected, 2 s connect timeout).
    /// </summary>
    public RedisNode(RedisServer server, string prefix, FakeLogCollector logs, ResilientCacheBackendOptions resilience)
        : this(FailFastConnection(server), prefix, logs, resilience)
    {
    }

    /// <summary>A node on a connection of its own, which it closes on disposal.</summary>
    public RedisNode(ConnectionMultiplexer multiplexer, string prefix, FakeLogCollector logs, ResilientCacheBackendOptions? resilience = null)
    {
        Multiplexer = multiplexer;
        var loggerFactory = new LoggerFactory([new FakeLoggerProvider(logs)]);
        Redis = new RedisBackend(Multiplexer, new RedisBackendOptions { KeyPrefix = prefix }, loggerFactory.CreateLogger<RedisBackend>());
        Channel = new RedisInvalidationChannel(Multiplexer, prefix + "invalidation", loggerFactory.CreateLogger<RedisInvalidationChannel>());
        Local = new LruTtlBackend(10_000, TimeSpan.FromMinutes(10));
        Backend = new TwoLevelBackend(
            Local,
            new ResilientCacheBackend(
                Redis,
                resilience ?? new ResilientCacheBackendOptions(),
                loggerFactory.CreateLogger<ResilientCacheBackend>()),
            Channel,
            new TwoLevelBackendOptions { MaxLocalTimeToLive = TimeSpan.FromMinutes(5) },
            loggerFactory);
        // Subscribed after the backend, so a reset counted here has been handed to the backend first.
        _probe = Channel.Subscribe(message =>
        {
            if (message.Key is { } key)
            {
                _receivedKeys[key] = true;
            }
            else
            {
                Interlocked.Increment(ref _resets);
            }

            Interlocked.Increment(ref _received);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>How many invalidations from other nodes (and reconnect resets) this node has received.</summary>
    public int Received => Volatile.Read(ref _received);

    /// <summary>How many times this node's channel has told it to drop every local copy (a reconnect, a lost message).</summary>
    public int Resets => Volatile.Read(ref _resets);

    /// <summary>Whether the node's subscription is confirmed live (it keeps local copies again).</summary>
    public bool IsListening => ((IListeningInvalidationChannel)Channel).IsListening;

    public ConnectionMultiplexer Multiplexer { get; }

    public RedisBackend Redis { get; }

    public RedisInvalidationChannel Channel { get; }

    public LruTtlBackend Local { get; }

    public TwoLevelBackend Backend { get; }

    /// <summary>Whether an invalidation of <paramref name="key"/> from another node has arrived.</summary>
    public bool HasReceived(string key) => _receivedKeys.ContainsKey(key);

    private static ConnectionMultiplexer FailFastConnection(RedisServer server)
    {
        var options = ConfigurationOptions.Parse(server.Configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = 2_000;
        return ConnectionMultiplexer.Connect(options);
    }

    /// <summary>Waits until this node has received <paramref name="count"/> messages in all.</summary>
    public Task WaitForMessagesAsync(int count) =>
        Eventually.HoldsAsync(() => Task.FromResult(Received >= count), TimeSpan.FromSeconds(1), $"the node receives {count} invalidation messages");

    /// <summary>Disposes the node; a second call is a no-op, so a test may stop a node midway.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _probe.Dispose();
        await Backend.DisposeAsync();
        await Multiplexer.DisposeAsync();
    }
}
