using Cacheweave.Backends;
using Cacheweave.Interception;
using Cacheweave.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cacheweave.Tiers;

/// <summary>
/// A fast local tier (L1, typically an in-memory LRU+TTL backend) in front of a shared tier (L2, such as Redis),
/// kept coherent across processes by an <see cref="ICacheInvalidationChannel"/>. It is itself an
/// <see cref="ICacheBackend"/>, so cached proxies use it without knowing tiers exist.
/// </summary>
/// <remarks>
/// <para>
/// A read tries L1, then L2; a hit in L2 is copied into L1 for no longer than the L2 entry has left (when L2
/// implements <see cref="ICacheBackendWithExpiry"/>) and never longer than
/// <see cref="TwoLevelBackendOptions.MaxLocalTimeToLive"/>. A write or removal goes to L2, then L1, then tells
/// the other processes to drop their L1 copy. A race between a read-through, a write and an invalidation of the
/// same key never leaves a stale copy in L1: the loser leaves L1 empty.
/// </para>
/// <para>
/// L2 is wrapped in a <see cref="ResilientCacheBackend"/> unless it already is one, so an outage of L2 never
/// reaches callers: an L2 read failure is a miss and L1 keeps serving. A removal or write that L2 did not take is
/// remembered by the wrapper and replayed to L2 as soon as it answers; this backend then announces it again on the
/// channel, before the key is read from L2 again. Meanwhile the key is an L2 miss here, so L1 is never filled from an
/// older L2 value. <see cref="InvalidateAsync"/> tells whether a removal reached L2 or is pending.
/// </para>
/// <para>
/// L1 is cleared only when invalidations may really have been missed: when the channel reports that its connection
/// came back and its subscription is live again (<see cref="CacheInvalidation.All"/>; a read of L2 begun before that
/// keeps no copy, and while a Redis channel is not yet confirmed no read keeps one), and when more removals were pending than the wrapper remembers
/// (it then clears L2 on recovery and this backend clears L1 and tells the others to). A flapping L2 circuit does not
/// clear L1.
/// </para>
/// <para>
/// This backend owns both tiers and the channel: disposing it disposes them.
/// </para>
/// </remarks>
public sealed class TwoLevelBackend : ICacheBackendWithInvalidation, Serialization.ISerializingCacheBackend, IDisposable, IAsyncDisposable
{
    private readonly ICacheBackend _local;
    private readonly ResilientCacheBackend _shared;
    private readonly ICacheInvalidationChannel? _channel;
    private readonly IDisposable? _subscription;
    private readonly TimeSpan _maxLocalTimeToLive;
    private readonly CacheEntryOptions _maxLocalOptions;
    private readonly LocalCopyGuard _guard = new();
    private readonly LocalTierLocks _locks = new();
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private int _disposed;
    private int _detached;

    /// <summary>Creates a two-level backend.</summary>
    /// <param name="local">The local tier (L1); this backend takes ownership of it.</param>
    /// <param name="shared">The shared tier (L2); this backend takes ownership of it.</param>
    /// <param name="invalidationChannel">
    /// Carries invalidations to and from the other processes; <see langword="null"/> when this process is the only
    /// one using <paramref name="shared"/>. This backend takes ownership of it.
    /// </param>
    /// <param name="options">The settings; <see langword="null"/> takes the defaults.</param>
    /// <param name="loggerFactory">Creates the loggers of this backend and of the L2 wrapper; <see langword="null"/> logs nothing.</param>
    /// <param name="timeProvider">The clock of the L2 timeout and circuit breaker; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="local"/> or <paramref name="shared"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="local"/> and <paramref name="shared"/> are the same instance.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting in <paramref name="options"/> is out of range.</exception>
    public TwoLevelBackend(
        ICacheBackend local,
        ICacheBackend shared,
        ICacheInvalidationChannel? invalidationChannel = null,
        TwoLevelBackendOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(shared);
        if (ReferenceEquals(local, shared))
        {
            throw new ArgumentException("The local and shared tiers of a two-level backend must be different backends.", nameof(shared));
        }

        if (local is InMemoryBackend { NeedsEntrySizes: true })
        {
            // L1 is filled from L2 reads, whose size nobody gives.
            throw new ArgumentException(
                "The local tier has a byte budget but no sizer, and a two-level backend cannot size the values it copies from the shared tier. " +
                $"Give the local tier {nameof(InMemoryBackendOptions)}.{nameof(InMemoryBackendOptions.Sizer)}.", nameof(local));
        }

        options ??= new TwoLevelBackendOptions();
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<TwoLevelBackend>();
        _local = local;
        _shared = shared as ResilientCacheBackend
            ?? new ResilientCacheBackend(shared, options.SharedTierResilience, loggerFactory.CreateLogger<ResilientCacheBackend>(), timeProvider);
        _maxLocalTimeToLive = options.MaxLocalTimeToLive;
        _time = timeProvider ?? TimeProvider.System;
        _maxLocalOptions = new CacheEntryOptions { TimeToLive = _maxLocalTimeToLive };
        _shared.ReplayHandler = OnReplayedAsync;
        _channel = invalidationChannel;
        _subscription = invalidationChannel?.Subscribe(OnInvalidationAsync);
    }

    /// <summary>The local tier (L1).</summary>
    public ICacheBackend LocalTier => _local;

    /// <summary>The channel carrying invalidations, if any.</summary>
    internal ICacheInvalidationChannel? InvalidationChannel => _channel;

    /// <summary>The shared tier (L2) behind its timeout and circuit breaker.</summary>
    public ResilientCacheBackend SharedTier => _shared;

    /// <inheritdoc />
    public Serialization.ICacheValueSerializer? ValueSerializer => _shared.ValueSerializer;

    /// <inheritdoc />
    /// <remarks>An L1 hit completes synchronously when L1 does. An L2 failure is a miss.</remarks>
    public ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var local = _local.GetAsync<T>(key, cancellationToken);
        if (local.IsCompletedSuccessfully)
        {
            var result = local.Result;
            return result.HasValue ? new ValueTask<CacheResult<T>>(result) : ReadThroughAsync<T>(key, cancellationToken);
        }

        return AwaitLocalThenReadThroughAsync(local, key, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// L2 receives <paramref name="options"/> as given; L1 receives the same time to live capped at
    /// <see cref="TwoLevelBackendOptions.MaxLocalTimeToLive"/>. An L2 failure is logged and dropped.
    /// </remarks>
    public async ValueTask PutAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var slot = LocalCopyGuard.SlotOf(key);
        var stamp = _guard.BeginWrite(slot);
        var keepLocalCopy = false;
        try
        {
            // An L2 failure leaves the key pending in the wrapper: its older L2 value is never read again, so this
            // process's own write is the newest it knows and stays in L1.
            await _shared.PutAsync(key, value, options, cancellationToken).ConfigureAwait(false);

            // From here on the shared tier holds the new value: finish regardless of the caller's token so
            // that L1 and the other processes cannot keep the old one.
            using (await _locks.EnterAsync(key).ConfigureAwait(false))
            {
                await _local.PutAsync(key, value, LocalOptions(options?.TimeToLive), CancellationToken.None).ConfigureAwait(false);
            }

            keepLocalCopy = true;
        }
        finally
        {
            // A write that overlapped another, or that was abandoned (cancelled while its L2 command may still
            // land), leaves no local copy and tells the others to drop theirs.
            if (!_guard.EndWrite(slot, stamp) || !keepLocalCopy)
            {
                await RemoveLocalAsync(key).ConfigureAwait(false);
            }

            await PublishAsync(CacheInvalidation.ForKey(key)).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <returns>
    /// <see langword="true"/> when the removal reached L2 and either tier held a live entry; <see langword="false"/> when
    /// neither did, or when L2 could not be reached (the removal is then pending: see <see cref="InvalidateAsync"/>).
    /// </returns>
    public async ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default) =>
        await InvalidateAsync(key, cancellationToken).ConfigureAwait(false) == CacheInvalidationResult.Removed;

    /// <inheritdoc />
    /// <remarks>
    /// Removes the key from L2, then from L1, then tells the other processes to drop their copy. When L2 cannot be
    /// reached the result is <see cref="CacheInvalidationResult.Pending"/>: L1 has dropped its copy, the message has been
    /// sent (it may be lost), and both the L2 removal and the message are replayed when L2 answers again.
    /// </remarks>
    public async ValueTask<CacheInvalidationResult> InvalidateAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var slot = LocalCopyGuard.SlotOf(key);
        var stamp = _guard.BeginWrite(slot);
        var shared = CacheInvalidationResult.Pending;
        var localRemoved = false;
        try
        {
            shared = await _shared.InvalidateAsync(key, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Even when the caller gave up, the L2 removal may land: the local copy goes either way.
            localRemoved = await RemoveLocalAsync(key).ConfigureAwait(false);
            _guard.EndWrite(slot, stamp);
            await PublishAsync(CacheInvalidation.ForKey(key)).ConfigureAwait(false);
        }

        return shared switch
        {
            CacheInvalidationResult.Pending => CacheInvalidationResult.Pending,
            CacheInvalidationResult.Removed => CacheInvalidationResult.Removed,
            _ => localRemoved ? CacheInvalidationResult.Removed : CacheInvalidationResult.NotFound,
        };
    }

    /// <inheritdoc />
    /// <remarks>
    /// Clears L2, then L1, then tells the other processes to clear their L1. A clear L2 did not take is pending in the
    /// wrapper (every L2 read is a miss until it is replayed).
    /// </remarks>
    public async ValueTask ClearAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        _guard.BeginClear();
        try
        {
            await _shared.ClearAsync(cancellationToken).ConfigureAwait(false);
            await ClearLocalAsync().ConfigureAwait(false);
        }
        finally
        {
            _guard.EndClear();
        }

        await PublishAsync(CacheInvalidation.All).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <returns>The count of L2, which holds every entry; the count of L1 while L2 is unavailable.</returns>
    public async ValueTask<long> CountAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await _shared.CountAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CacheBackendUnavailableException ex)
        {
            TierLog.CountFellBackToLocalTier(_logger, ex);
            return await _local.CountAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Asks L2, which holds every entry (an L1 copy never outlives it). When L2 does not answer this throws rather
    /// than report L1's copy, whose expiry is capped and so says nothing about the entry's.
    /// </remarks>
    /// <exception cref="CacheBackendUnavailableException">L2 did not answer.</exception>
    public ValueTask<CacheResult<TimeSpan?>> GetTimeToLiveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfDisposed();
        return _shared.GetTimeToLiveAsync(key, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <para>
    /// Changes L2 first. Then this process's L1 copy gets the same time to live, capped at
    /// <see cref="TwoLevelBackendOptions.MaxLocalTimeToLive"/> (a persistent L2 entry gets the cap) and shortened by the
    /// time the L2 call took, so that the copy's clock, started after L2's, cannot run past it; and the other processes
    /// are told to drop their copies, whose expiry was cut to the old one. A copy never outlives L2.
    /// </para>
    /// <para>
    /// When L2 does not take the change, the L1 copy is dropped, the others are told to drop theirs, the key's L2 removal
    /// is pending (see <see cref="ResilientCacheBackend.SetTimeToLiveAsync"/>) and this throws.
    /// </para>
    /// </remarks>
    /// <returns>Whether L2 held a live entry.</returns>
    /// <exception cref="CacheBackendUnavailableException">L2 did not take the change.</exception>
    public ValueTask<bool> SetTimeToLiveAsync(string key, TimeSpan? timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfDisposed();
        if (timeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeToLive), ttl, "A time to live must be greater than zero; pass null to remove the expiry.");
        }

        var started = _time.GetTimestamp();
        return ChangeTimeToLiveAsync(
            key,
            ct => _shared.SetTimeToLiveAsync(key, timeToLive, ct),
            async () =>
            {
                var left = (timeToLive is { } t && t < _maxLocalTimeToLive ? t : _maxLocalTimeToLive) - _time.GetElapsedTime(started);
                return left > TimeSpan.Zero && await _local.SetTimeToLiveAsync(key, left, CancellationToken.None).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Changes L2 first, then drops this process's L1 copy and tells the other processes to drop theirs: the instant is
    /// judged by L2's clock (the Redis server's), and a copy timed by this process's clock could outlive it by the skew
    /// between the two. The next read copies the entry again with the time L2 says it has left.
    /// </remarks>
    /// <returns>Whether L2 held a live entry.</returns>
    /// <exception cref="CacheBackendUnavailableException">L2 did not take the change (the key's L2 removal is then pending).</exception>
    public ValueTask<bool> ExpireAtAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfDisposed();
        return ChangeTimeToLiveAsync(key, ct => _shared.ExpireAtAsync(key, expiresAt, ct), static () => ValueTask.FromResult(false), cancellationToken);
    }

    // As PutAsync: L2, then L1 under the key's stripe; a change that overlapped a write or failed leaves no L1 copy, and
    // the other processes are told in every case.
    private async ValueTask<bool> ChangeTimeToLiveAsync(
        string key, Func<CancellationToken, ValueTask<bool>> changeShared, Func<ValueTask<bool>> changeLocal, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var slot = LocalCopyGuard.SlotOf(key);
        var stamp = _guard.BeginWrite(slot);
        var keepLocalCopy = false;
        try
        {
            var existed = await changeShared(cancellationToken).ConfigureAwait(false);
            if (existed)
            {
                using (await _locks.EnterAsync(key).ConfigureAwait(false))
                {
                    keepLocalCopy = await changeLocal().ConfigureAwait(false);
                }
            }

            return existed;
        }
        finally
        {
            if (!_guard.EndWrite(slot, stamp) || !keepLocalCopy)
            {
                await RemoveLocalAsync(key).ConfigureAwait(false);
            }

            await PublishAsync(CacheInvalidation.ForKey(key)).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Removals the shared tier still owes get one last try while the channel can still tell the other processes.
        Synchronously.Wait(_shared.FlushPendingAsync());
        Detach();
        OwnedTier.Dispose(_channel);
        OwnedTier.Dispose(_local);
        _shared.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Removals the shared tier still owes get one last try while the channel can still tell the other processes.
        await _shared.FlushPendingAsync().ConfigureAwait(false);
        Detach();
        await OwnedTier.DisposeAsync(_channel).ConfigureAwait(false);
        await OwnedTier.DisposeAsync(_local).ConfigureAwait(false);
        await _shared.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask<CacheResult<T>> AwaitLocalThenReadThroughAsync<T>(
        ValueTask<CacheResult<T>> local, string key, CancellationToken cancellationToken)
    {
        var result = await local.ConfigureAwait(false);
        return result.HasValue ? result : await ReadThroughAsync<T>(key, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<CacheResult<T>> ReadThroughAsync<T>(string key, CancellationToken cancellationToken)
    {
        var slot = LocalCopyGuard.SlotOf(key);
        // While the channel may be missing messages, a copy could outlive an invalidation it never hears of.
        var mayCopy = _guard.TryBeginRead(slot, out var stamp) && _channel is not IListeningInvalidationChannel { IsListening: false };
        var (result, remaining) = await _shared.GetWithExpiryAsync<T>(key, cancellationToken).ConfigureAwait(false);
        if (!result.TryGetValue(out var value) || !mayCopy || remaining <= TimeSpan.Zero)
        {
            return result;
        }

        // Check and copy as one step: a write, removal or invalidation changes L1 only under the same stripe, so it
        // either ran before the check (which then fails) or runs after the copy (and replaces or drops it).
        using (await _locks.EnterAsync(key).ConfigureAwait(false))
        {
            if (_guard.IsUnchanged(slot, stamp))
            {
                await _local.PutAsync(key, value, LocalOptions(remaining), CancellationToken.None).ConfigureAwait(false);
            }
        }

        return result;
    }

    private async ValueTask<bool> RemoveLocalAsync(string key)
    {
        using (await _locks.EnterAsync(key).ConfigureAwait(false))
        {
            return await _local.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async ValueTask ClearLocalAsync()
    {
        using (await _locks.EnterAllAsync().ConfigureAwait(false))
        {
            await _local.ClearAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    // A clear that is not this backend's own: a read-through that started before it cannot copy what it read, even
    // when it finishes after the clear (a read of L2 made before a reconnect may predate a missed invalidation).
    private async ValueTask ClearLocalGuardedAsync()
    {
        _guard.BeginClear();
        try
        {
            await ClearLocalAsync().ConfigureAwait(false);
        }
        finally
        {
            _guard.EndClear();
        }
    }

    private CacheEntryOptions LocalOptions(TimeSpan? timeToLive) =>
        timeToLive is { } ttl && ttl < _maxLocalTimeToLive ? new CacheEntryOptions { TimeToLive = ttl } : _maxLocalOptions;

    private async ValueTask PublishAsync(CacheInvalidation invalidation)
    {
        if (_channel is null)
        {
            return;
        }

        try
        {
            await _channel.PublishAsync(invalidation, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A channel fault must not reach the caller; the reconnect reset covers the lost message.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            TierLog.PublishFailed(_logger, invalidation, ex);
        }
    }

    private ValueTask OnInvalidationAsync(CacheInvalidation invalidation)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return ValueTask.CompletedTask;
        }

        TierLog.InvalidationReceived(_logger, invalidation);
        if (invalidation.Key is not { } key)
        {
            TierLog.LocalTierCleared(_logger, "another process cleared the cache or invalidations may have been missed");
            return ObserveAsync(ClearLocalGuardedAsync(), invalidation);
        }

        _guard.Invalidate(LocalCopyGuard.SlotOf(key));
        return ObserveAsync(RemoveLocalDiscardingAsync(key), invalidation);
    }

    private async ValueTask RemoveLocalDiscardingAsync(string key) => await RemoveLocalAsync(key).ConfigureAwait(false);

    private async ValueTask ObserveAsync(ValueTask pending, CacheInvalidation invalidation)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Runs on the channel's thread: log rather than tear down the subscription.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            TierLog.InvalidationFailed(_logger, invalidation, ex);
        }
    }

    private async ValueTask OnReplayedAsync(CacheInvalidation invalidation)
    {
        if (Volatile.Read(ref _detached) != 0)
        {
            return;
        }

        if (invalidation.IsAll)
        {
            // More removals were pending than remembered: this process cannot tell which local copies are stale.
            TierLog.LocalTierCleared(_logger, "the shared tier owed more removals than it could remember and was cleared");
            await ClearLocalGuardedAsync().ConfigureAwait(false);
        }

        await PublishAsync(invalidation).ConfigureAwait(false);
    }

    private void Detach()
    {
        Volatile.Write(ref _detached, 1);
        _shared.ReplayHandler = null;
        _subscription?.Dispose();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
