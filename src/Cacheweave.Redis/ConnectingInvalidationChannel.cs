using Cacheweave.Tiers;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Cacheweave.Redis;

/// <summary>
/// A <see cref="RedisInvalidationChannel"/> whose connection is still being made in the background. Subscribers are
/// kept and attached once it exists, and then receive <see cref="CacheInvalidation.All"/>: messages sent before this
/// process listened were missed. Messages published before that are dropped; the removals they announced could not
/// reach Redis either, so they are pending and published again when replayed.
/// </summary>
internal sealed class ConnectingInvalidationChannel : IListeningInvalidationChannel, IDisposable
{
    private readonly Lock _gate = new();
    private readonly Task<RedisInvalidationChannel> _connected;
    private readonly ILogger _logger;
    private readonly string _channelName;
    private Func<CacheInvalidation, ValueTask>[] _handlers = [];
    private int _disposed;

    public ConnectingInvalidationChannel(Task<ConnectionMultiplexer> connecting, string channelName, ILogger<RedisInvalidationChannel>? logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelName);
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _channelName = channelName;
        _connected = CreateAsync(connecting, channelName, logger);
    }

    /// <summary>Completes when the channel listens on Redis.</summary>
    public Task Connected => _connected;

    public bool IsListening =>
        _connected.IsCompletedSuccessfully && ((IListeningInvalidationChannel)_connected.Result).IsListening;

    public ValueTask PublishAsync(CacheInvalidation invalidation, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _connected.IsCompletedSuccessfully ? _connected.Result.PublishAsync(invalidation, cancellationToken) : ValueTask.CompletedTask;
    }

    public IDisposable Subscribe(Func<CacheInvalidation, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }

        return new Subscription(this, handler);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _connected.IsCompletedSuccessfully)
        {
            _connected.Result.Dispose();
        }
    }

    private async Task<RedisInvalidationChannel> CreateAsync(Task<ConnectionMultiplexer> connecting, string channelName, ILogger<RedisInvalidationChannel>? logger)
    {
        var multiplexer = await connecting.ConfigureAwait(false);
        var channel = new RedisInvalidationChannel(multiplexer, channelName, logger);
        channel.Subscribe(DeliverAsync);
        if (Volatile.Read(ref _disposed) != 0)
        {
            channel.Dispose();
        }
        else
        {
            await DeliverAsync(CacheInvalidation.All).ConfigureAwait(false);
        }

        return channel;
    }

    private async ValueTask DeliverAsync(CacheInvalidation invalidation)
    {
        foreach (var handler in Volatile.Read(ref _handlers))
        {
            try
            {
                await handler(invalidation).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // One failing handler must not stop the others.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                RedisLog.HandlerFailed(_logger, _channelName, ex);
            }
        }
    }

    private void Unsubscribe(Func<CacheInvalidation, ValueTask> handler)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_handlers, handler);
            if (index >= 0)
            {
                _handlers = [.. _handlers[..index], .. _handlers[(index + 1)..]];
            }
        }
    }

    private sealed class Subscription(ConnectingInvalidationChannel owner, Func<CacheInvalidation, ValueTask> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(handler);
            }
        }
    }
}
