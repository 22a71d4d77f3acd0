using Cacheweave.Backends;
using Cacheweave.Tiers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cacheweave.Resilience;

/// <summary>
/// Wraps a remote tier (such as Redis) so that its faults never reach callers: every call has a timeout, a
/// <see cref="Resilience.CircuitBreaker"/> stops calls to a dead tier and probes it to recover, and a failed or
/// refused read is a miss, a failed write or removal is logged and dropped.
/// </summary>
/// <remarks>
/// <para>
/// What still reaches the caller: <see cref="ArgumentException"/> (a bad key, or a value the tier cannot store —
/// a programming error, not an outage), <see cref="ObjectDisposedException"/>, cancellation of the caller's own
/// token, and the <see cref="CacheBackendUnavailableException"/> of <see cref="CountAsync"/>, which has no
/// honest fallback.
/// </para>
/// <para>
/// A timed-out call is abandoned, not cancelled: remote clients usually cannot withdraw a command already sent.
/// Disposing this backend disposes the wrapped one.
/// </para>
/// </remarks>
public sealed class ResilientCacheBackend : ICacheBackendWithExpiry, Serialization.ISerializingCacheBackend, IDisposable, IAsyncDisposable
{
    private const string GetOperation = "get";
    private const string PutOperation = "put";
    private const string RemoveOperation = "remove";
    private const string ClearOperation = "clear";
    private const string CountOperation = "count";

    private readonly ICacheBackend _inner;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _name;
    private int _disposed;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The tier to protect; this backend takes ownership of it.</param>
    /// <param name="options">Timeout and circuit-breaker settings; <see langword="null"/> takes the defaults.</param>
    /// <param name="logger">Receives failures and circuit transitions; <see langword="null"/> logs nothing.</param>
    /// <param name="timeProvider">The clock for timeouts and the break duration; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting in <paramref name="options"/> is out of range.</exception>
    public ResilientCacheBackend(
        ICacheBackend inner,
        ResilientCacheBackendOptions? options = null,
        ILogger<ResilientCacheBackend>? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        options ??= new ResilientCacheBackendOptions();
        options.Validate();
        _inner = inner;
        _timeout = options.Timeout;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _name = inner.GetType().Name;
        CircuitBreaker = new CircuitBreaker(options.CircuitBreaker, _timeProvider);
        var breakDuration = options.CircuitBreaker.BreakDuration;
        CircuitBreaker.StateChanged += (_, e) =>
        {
            switch (e.NewState)
            {
                case CircuitState.Open:
                    ResilienceLog.CircuitOpened(_logger, _name, breakDuration);
                    break;
                case CircuitState.HalfOpen:
                    ResilienceLog.CircuitHalfOpened(_logger, _name);
                    break;
                default:
                    ResilienceLog.CircuitClosed(_logger, _name);
                    break;
            }
        };
    }

    /// <summary>The wrapped tier.</summary>
    public ICacheBackend InnerBackend => _inner;

    /// <inheritdoc />
    public Serialization.ICacheValueSerializer? ValueSerializer => (_inner as Serialization.ISerializingCacheBackend)?.ValueSerializer;

    /// <summary>
    /// The circuit breaker guarding the wrapped tier. Subscribe to <see cref="CircuitBreaker.StateChanged"/> to
    /// learn when the tier goes away and when it is back.
    /// </summary>
    public CircuitBreaker CircuitBreaker { get; }

    /// <inheritdoc />
    /// <remarks>A failed, timed-out or refused lookup is a miss.</remarks>
    public ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return RunAsync(
            static (inner, key, ct) => inner.GetAsync<T>(key, ct),
            key, key, CacheResult<T>.Miss, GetOperation, bounded: true, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A failed, timed-out or refused lookup is a miss. When the wrapped tier does not implement
    /// <see cref="ICacheBackendWithExpiry"/>, the remaining time to live is reported as unknown (<see langword="null"/>).
    /// </remarks>
    public ValueTask<ExpiringCacheResult<T>> GetWithExpiryAsync<T>(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return RunAsync(
            static async (inner, key, ct) => inner is ICacheBackendWithExpiry expiring
                ? await expiring.GetWithExpiryAsync<T>(key, ct).ConfigureAwait(false)
                : new ExpiringCacheResult<T>(await inner.GetAsync<T>(key, ct).ConfigureAwait(false), null),
            key, key, default(ExpiringCacheResult<T>), GetOperation, bounded: true, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A failed, timed-out or refused write is logged and dropped.</remarks>
    public async ValueTask PutAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        await RunAsync(
            static async (inner, state, ct) =>
            {
                await inner.PutAsync(state.key, state.value, state.options, ct).ConfigureAwait(false);
                return true;
            },
            (key, value, options), key, false, PutOperation, bounded: true, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>A failed, timed-out or refused removal is logged, dropped and reported as <see langword="false"/>.</remarks>
    public ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return RunAsync(
            static (inner, key, ct) => inner.RemoveAsync(key, ct),
            key, key, false, RemoveOperation, bounded: true, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Not bounded by the timeout. A failed or refused clear is logged and dropped.</remarks>
    public async ValueTask ClearAsync(CancellationToken cancellationToken = default) =>
        await RunAsync(
            static async (inner, _, ct) =>
            {
                await inner.ClearAsync(ct).ConfigureAwait(false);
                return true;
            },
            0, null, false, ClearOperation, bounded: false, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    /// <remarks>Not bounded by the timeout.</remarks>
    /// <exception cref="CacheBackendUnavailableException">The circuit is open or the wrapped tier failed.</exception>
    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) =>
        RunAsync(
            static (inner, _, ct) => inner.CountAsync(ct),
            0, null, 0L, CountOperation, bounded: false, cancellationToken, throwWhenUnavailable: true);

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            OwnedTier.Dispose(_inner);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await OwnedTier.DisposeAsync(_inner).ConfigureAwait(false);
        }
    }

    private static bool IsCallerFault(Exception exception, CancellationToken cancellationToken) =>
        exception is ArgumentException or ObjectDisposedException
        || (exception is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private static void Observe(Task abandoned) =>
        _ = abandoned.ContinueWith(
            static t => _ = t.Exception,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    private async ValueTask<TResult> RunAsync<TState, TResult>(
        Func<ICacheBackend, TState, CancellationToken, ValueTask<TResult>> operation,
        TState state,
        string? key,
        TResult fallback,
        string operationName,
        bool bounded,
        CancellationToken cancellationToken,
        bool throwWhenUnavailable = false)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        if (!CircuitBreaker.TryAcquire())
        {
            ResilienceLog.OperationRefused(_logger, _name, operationName, key);
            return throwWhenUnavailable
                ? throw new CacheBackendUnavailableException($"Cannot {operationName} cache tier {_name}: its circuit is open.")
                : fallback;
        }

        try
        {
            var pending = operation(_inner, state, cancellationToken);
            TResult result;
            if (pending.IsCompleted || !bounded)
            {
                result = await pending.ConfigureAwait(false);
            }
            else
            {
                var task = pending.AsTask();
                try
                {
                    result = await task.WaitAsync(_timeout, _timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception) when (!task.IsCompleted)
                {
                    Observe(task);
                    throw;
                }
            }

            CircuitBreaker.RecordSuccess();
            return result;
        }
        catch (Exception ex) when (IsCallerFault(ex, cancellationToken))
        {
            CircuitBreaker.RecordCancellation();
            throw;
        }
        catch (Exception ex)
        {
            CircuitBreaker.RecordFailure();
            if (throwWhenUnavailable)
            {
                throw new CacheBackendUnavailableException($"Cannot {operationName} cache tier {_name}: it failed.", ex);
            }

            ResilienceLog.OperationFailed(_logger, _name, operationName, key, ex);
            return fallback;
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
