using Cacheweave.Redis.Invalidation;
using Cacheweave.Tiers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Cacheweave.Redis;

/// <summary>
/// An <see cref="ICacheInvalidationChannel"/> on Redis pub/sub: every instance publishes to, and listens on, one
/// Redis channel, and ignores its own messages by the sender id each message carries.
/// </summary>
/// <remarks>
/// <para>
/// Pub/sub is fire-and-forget: a process that is disconnected when a message is sent never sees it. So when the
/// connection comes back, this channel tells its subscribers to drop everything
/// (<see cref="CacheInvalidation.All"/>) — but only once its subscription is confirmed live again: it publishes a
/// probe with a fresh nonce to itself, every <see cref="FastProbeInterval"/> for the first
/// <see cref="FastProbes"/> probes of a round (the re-subscription usually lands within them, so local copies stop
/// being served soon after the server is back) and every <see cref="ProbeInterval"/> after that, until one comes
/// back. Dropping everything
/// earlier would let a copy read meanwhile outlive an invalidation sent before the server re-subscribed it.
/// Until then <c>IsListening</c> is false and a two-level backend keeps no local copies. Publishing never waits for the server and never throws for a transport
/// fault; failures are logged.
/// </para>
/// <para>Messages from the server are untrusted: a malformed one is logged and ignored.</para>
/// </remarks>
public sealed class RedisInvalidationChannel : IListeningInvalidationChannel, IDisposable
{
    /// <summary>How often an unconfirmed subscription is probed again.</summary>
    internal static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the first probes of a round are sent.</summary>
    internal static readonly TimeSpan FastProbeInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>How many probes of a round are sent at <see cref="FastProbeInterval"/> before slowing down.</summary>
    internal const int FastProbes = 25;

    private readonly IConnectionMultiplexer _multiplexer;
    private readonly ISubscriber _subscriber;
    private readonly RedisChannel _channel;
    private readonly string _channelName;
    private readonly Guid _instanceId = Guid.NewGuid();
    private readonly ILogger _logger;
    private readonly Action<RedisChannel, RedisValue> _onMessage;
    private readonly Lock _gate = new();
    private Func<CacheInvalidation, ValueTask>[] _handlers = [];
    private readonly ITimer _probeTimer;
    private Guid? _awaitedNonce;
    private int _probesThisRound;
    private bool _listening;
    private int _publishFailing;
    private int _disposed;

    /// <summary>Creates the channel and subscribes to it on the server.</summary>
    /// <param name="multiplexer">The Redis connection; the caller keeps owning it.</param>
    /// <param name="channelName">The Redis pub/sub channel; every process sharing a cache uses the same one.</param>
    /// <param name="logger">Receives connection events and failures; <see langword="null"/> logs nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="multiplexer"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="channelName"/> is null or empty.</exception>
    /// <remarks>
    /// Subscribing waits for the server when it is reachable, so that no message published after this constructor
    /// returns is missed. When it is not, the connection subscribes as soon as it is restored.
    /// </remarks>
    public RedisInvalidationChannel(IConnectionMultiplexer multiplexer, string channelName, ILogger<RedisInvalidationChannel>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(multiplexer);
        ArgumentException.ThrowIfNullOrEmpty(channelName);
        _multiplexer = multiplexer;
        _subscriber = multiplexer.GetSubscriber();
        _channelName = channelName;
        _channel = RedisChannel.Literal(channelName);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _onMessage = OnMessage;
        _probeTimer = TimeProvider.System.CreateTimer(_ => Probe(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _multiplexer.ConnectionFailed += OnConnectionFailed;
        _multiplexer.ConnectionRestored += OnConnectionRestored;
        if (Subscribe())
        {
            lock (_gate)
            {
                _listening = _awaitedNonce is null;
            }
        }
        else
        {
            StartConfirming();
        }
    }

    /// <summary>
    /// <see langword="true"/> when the subscription is known to be live: from a successful subscription at start, and
    /// after a lost connection from the moment this channel hears its own probe again.
    /// </summary>
    bool IListeningInvalidationChannel.IsListening
    {
        get
        {
            lock (_gate)
            {
                return _listening;
            }
        }
    }

    /// <summary>The id this instance puts in its messages, to recognise and skip them when they come back.</summary>
    public Guid InstanceId => _instanceId;

    /// <summary>The Redis pub/sub channel.</summary>
    public string ChannelName => _channelName;

    /// <inheritdoc />
    public ValueTask PublishAsync(CacheInvalidation invalidation, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            _subscriber.Publish(_channel, InvalidationMessage.Format(_instanceId, invalidation), CommandFlags.FireAndForget);
            Volatile.Write(ref _publishFailing, 0);
        }
#pragma warning disable CA1031 // Publishing is best effort; the reset on reconnect covers what is lost.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (Interlocked.Exchange(ref _publishFailing, 1) == 0)
            {
                RedisLog.PublishFailed(_logger, _channelName, ex);
            }
            else
            {
                RedisLog.PublishFailedAgain(_logger, _channelName, ex);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
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

    /// <summary>Unsubscribes from the server and stops delivering messages.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _multiplexer.ConnectionFailed -= OnConnectionFailed;
        _multiplexer.ConnectionRestored -= OnConnectionRestored;
        _probeTimer.Dispose();
        lock (_gate)
        {
            _handlers = [];
            _awaitedNonce = null;
        }

        try
        {
            _subscriber.Unsubscribe(_channel, _onMessage, CommandFlags.FireAndForget);
        }
#pragma warning disable CA1031 // The connection may already be gone; the subscription dies with it.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private bool Subscribe()
    {
        try
        {
            _subscriber.Subscribe(_channel, _onMessage);
            return true;
        }
#pragma warning disable CA1031 // The server may be down at start: see below.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The multiplexer keeps the subscription registered even when the SUBSCRIBE command fails, and sends it
            // again when it reconnects; subscribing again here would deliver every message twice.
            RedisLog.SubscribeFailed(_logger, _channelName, ex);
            return false;
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

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        var text = (string?)message;
        if (!InvalidationMessage.TryParse(text, out var sender, out var invalidation))
        {
            if (InvalidationMessage.TryParseProbe(text, out sender, out var nonce))
            {
                if (sender == _instanceId)
                {
                    OnProbeReturned(nonce);
                }

                return;
            }

            RedisLog.MalformedMessage(_logger, _channelName, message.IsNull ? 0 : (int)message.Length());
            return;
        }

        if (sender != _instanceId)
        {
            Deliver(invalidation);
        }
    }

    private void Deliver(CacheInvalidation invalidation)
    {
        foreach (var handler in Volatile.Read(ref _handlers))
        {
            try
            {
                var pending = handler(invalidation);
                if (!pending.IsCompletedSuccessfully)
                {
                    _ = ObserveAsync(pending);
                }
            }
#pragma warning disable CA1031 // One failing handler must not stop the others or the subscription.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                RedisLog.HandlerFailed(_logger, _channelName, ex);
            }
        }
    }

    private async Task ObserveAsync(ValueTask pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // See Deliver.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RedisLog.HandlerFailed(_logger, _channelName, ex);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        RedisLog.ConnectionFailed(_logger, e.ConnectionType, e.EndPoint, e.FailureType, e.Exception);

        // A probe sent before this failure proves nothing about the subscription after it. The multiplexer may report
        // the failure after the restore, so the failure starts a round of probes of its own rather than ending one.
        StartConfirming();
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        RedisLog.ConnectionRestored(_logger, e.ConnectionType, e.EndPoint);
        StartConfirming();
    }

    // The multiplexer re-subscribes some time after it reports the connection restored: a message published before
    // that is lost. The subscription is live once a probe published after the restore comes back, and because the
    // server delivers in publish order, every message published after that probe is heard too.
    private void StartConfirming()
    {
        lock (_gate)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            _listening = false;
            _awaitedNonce = Guid.NewGuid();
            _probesThisRound = 0;

            // Under the gate, so that a tick of the previous round cannot slow this round's timer down afterwards.
            if (!TryChangeProbeTimer(FastProbeInterval))
            {
                return;
            }
        }

        Probe();
    }

    private void Probe()
    {
        Guid nonce;
        lock (_gate)
        {
            if (_awaitedNonce is not { } awaited)
            {
                return;
            }

            nonce = awaited;
            if (++_probesThisRound == FastProbes && !TryChangeProbeTimer(ProbeInterval))
            {
                return;
            }
        }

        try
        {
            _subscriber.Publish(_channel, InvalidationMessage.FormatProbe(_instanceId, nonce), CommandFlags.FireAndForget);
        }
#pragma warning disable CA1031 // The next tick probes again; the restore of the connection starts a new round.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RedisLog.PublishFailedAgain(_logger, _channelName, ex);
        }
    }

    private bool TryChangeProbeTimer(TimeSpan interval)
    {
        try
        {
            _probeTimer.Change(interval, interval);
            return true;
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile: nothing left to confirm.
            return false;
        }
    }

    private void OnProbeReturned(Guid nonce)
    {
        lock (_gate)
        {
            if (_awaitedNonce != nonce)
            {
                return;
            }

            _awaitedNonce = null;
            _listening = true;

            // Under the gate: stopped after the gate, it could stop the timer of a round that began meanwhile.
            if (!TryChangeProbeTimer(Timeout.InfiniteTimeSpan))
            {
                return;
            }
        }

        RedisLog.SubscriptionConfirmed(_logger, _channelName);
        Deliver(CacheInvalidation.All);
    }

    private sealed class Subscription(RedisInvalidationChannel owner, Func<CacheInvalidation, ValueTask> handler) : IDisposable
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
