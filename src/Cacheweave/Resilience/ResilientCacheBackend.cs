using Cacheweave.Backends;
using Cacheweave.Diagnostics;
using Cacheweave.Interception;
using Cacheweave.Serialization;
using Cacheweave.Tiers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cacheweave.Resilience;

/// <summary>
/// Wraps a remote tier (such as Redis) so that its faults never reach callers and never make it serve a value that was
/// removed or overwritten: every call has a timeout, circuit breakers stop calls to a failing tier and probe it to
/// recover, a failed or refused read is a miss, and a removal or write the tier did not take is remembered and replayed
/// as a removal as soon as the tier answers again.
/// </summary>
/// <remarks>
/// <para>
/// <b>Reads and writes are judged apart.</b> <see cref="ReadCircuit"/> counts failed reads and removals and, when open,
/// keeps every call away from the tier; <see cref="WriteCircuit"/> counts failed writes and, when open, keeps writes
/// away. A tier that refuses writes but answers reads (Redis at <c>maxmemory</c> with <c>noeviction</c>) keeps serving
/// reads and accepting removals.
/// </para>
/// <para>
/// <b>One time budget.</b> When a call times out, the tier is taken to be hanging: every further call fails at once (a
/// read is a miss) until a background probe, or the late answer of the abandoned call, shows it answering again.
/// </para>
/// <para>
/// <b>No lost invalidation.</b> A removal, clear or write that fails, times out or is refused leaves the key pending
/// (deduplicated, at most <see cref="ResilientCacheBackendOptions.MaxPendingInvalidations"/> keys; beyond that the
/// whole tier is pending a clear). A read of a pending key is a miss without asking the tier, so an older value the
/// tier still holds (or brings back from disk after a restart) is never served. In the background, every
/// <see cref="ResilientCacheBackendOptions.ProbeInterval"/>, the pending removals are sent to the tier; each one that
/// lands is announced (a <see cref="TwoLevelBackend"/> tells the other processes) and only then forgotten. A later
/// successful write or removal of the key also settles it.
/// </para>
/// <para>
/// What still reaches the caller: <see cref="ArgumentException"/> (a bad key), <see cref="CacheValueRejectedException"/>
/// (a value the tier refuses to store: a property of the value, not a fault of the tier, so it counts as no failure),
/// <see cref="ObjectDisposedException"/>, <see cref="NotSupportedException"/> (a tier without time-to-live operations),
/// cancellation of the caller's own token, and the <see cref="CacheBackendUnavailableException"/> of
/// <see cref="CountAsync"/> and of the time-to-live operations, which have no honest fallback.
/// </para>
/// <para>
/// A timed-out call is abandoned, not cancelled: remote clients usually cannot withdraw a command already sent.
/// Disposing this backend stops the background work and disposes the wrapped one.
/// </para>
/// </remarks>
public sealed class ResilientCacheBackend : ICacheBackendWithExpiry, ICacheBackendWithInvalidation, Serialization.ISerializingCacheBackend, IDisposable, IAsyncDisposable
{
    private const string GetOperation = "get";
    private const string PutOperation = "put";
    private const string RemoveOperation = "remove";
    private const string ClearOperation = "clear";
    private const string CountOperation = "count";
    private const string TimeToLiveOperation = "time-to-live";

    // Read by the probe of a tier that has no ICacheTierProbe; no cache writes it.
    private const string ProbeKey = "cacheweave-probe";
    private const int ReplayBatch = 256;
    private const int MaxKeysLogged = 20;

    private readonly ICacheBackend _inner;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _probeInterval;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _name;
    private readonly int _maxPending;
    private readonly PendingInvalidations _pending;
    private readonly CancellationTokenSource _stopping = new();
    private int _hanging;
    private long _hangGeneration;
    private int _recovering;
    private long _replayed;
    private int _disposed;
    private int _flushed;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The tier to protect; this backend takes ownership of it.</param>
    /// <param name="options">Timeout, circuit-breaker and replay settings; <see langword="null"/> takes the defaults.</param>
    /// <param name="logger">Receives failures, circuit transitions and replays; <see langword="null"/> logs nothing.</param>
    /// <param name="timeProvider">The clock for timeouts, the break duration and probes; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
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
        _probeInterval = options.ProbeInterval;
        _maxPending = options.MaxPendingInvalidations;
        _pending = new PendingInvalidations(_maxPending);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _name = inner.GetType().Name;
        ReadCircuit = CreateCircuit(options.CircuitBreaker, _name + " reads");
        WriteCircuit = CreateCircuit(options.CircuitBreaker, _name + " writes");
        Telemetry = new SharedTierTelemetry(_name);
    }

    /// <summary>The wrapped tier.</summary>
    public ICacheBackend InnerBackend => _inner;

    /// <inheritdoc />
    public Serialization.ICacheValueSerializer? ValueSerializer => (_inner as Serialization.ISerializingCacheBackend)?.ValueSerializer;

    /// <summary>
    /// The circuit of reads, removals, clears and counts. While it is open, no call reaches the tier. Subscribe to
    /// <see cref="CircuitBreaker.StateChanged"/> to learn when the tier goes away and when it is back.
    /// </summary>
    public CircuitBreaker ReadCircuit { get; }

    /// <summary>The circuit of writes. While it is open, writes do not reach the tier (and leave their key pending).</summary>
    public CircuitBreaker WriteCircuit { get; }

    /// <summary>Whether a call has timed out and no probe has found the tier answering since; calls then fail at once.</summary>
    public bool IsHanging => Volatile.Read(ref _hanging) != 0;

    /// <summary>The number of keys whose removal the tier still owes, plus one while a clear of everything is owed.</summary>
    public int PendingInvalidationCount => _pending.Count;

    /// <summary>How many pending removals (and clears) have been replayed to the tier since this backend was created.</summary>
    public long ReplayedInvalidationCount => Volatile.Read(ref _replayed);

    /// <summary>
    /// Called for each replayed removal after it reached the tier and before the key is trusted again
    /// (<see cref="CacheInvalidation.All"/> for a replayed clear). A <see cref="TwoLevelBackend"/> publishes it to the
    /// other processes.
    /// </summary>
    internal Func<CacheInvalidation, ValueTask>? ReplayHandler { get; set; }

    /// <summary>Spans and durations of this tier's calls; replaced when a container with Cacheweave's meter tracks the tier.</summary>
    internal SharedTierTelemetry Telemetry { get; set; }

    /// <inheritdoc />
    /// <remarks>A failed, timed-out or refused lookup is a miss, and so is a lookup of a key whose removal is pending.</remarks>
    public ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return Untrusted(key, cancellationToken)
            ? new ValueTask<CacheResult<T>>(CacheResult<T>.Miss)
            : ReadAsync(static (inner, key, ct) => inner.GetAsync<T>(key, ct), key, CacheResult<T>.Miss, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A failed, timed-out or refused lookup is a miss, and so is a lookup of a key whose removal is pending. When the
    /// wrapped tier does not implement <see cref="ICacheBackendWithExpiry"/>, the remaining time to live is reported as
    /// unknown (<see langword="null"/>).
    /// </remarks>
    public ValueTask<ExpiringCacheResult<T>> GetWithExpiryAsync<T>(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return Untrusted(key, cancellationToken)
            ? default
            : ReadAsync(
                static async (inner, key, ct) => inner is ICacheBackendWithExpiry expiring
                    ? await expiring.GetWithExpiryAsync<T>(key, ct).ConfigureAwait(false)
                    : new ExpiringCacheResult<T>(await inner.GetAsync<T>(key, ct).ConfigureAwait(false), null),
                key, default(ExpiringCacheResult<T>), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A failed, timed-out or refused write is logged and leaves the key pending: the tier may still hold an older value,
    /// which is removed as soon as the tier answers again and is never served meanwhile.
    /// </remarks>
    /// <exception cref="CacheValueRejectedException">The wrapped tier refused the value; it was not written (a <c>RedisBackend</c> removes the key's earlier value instead) and no failure is counted.</exception>
    public async ValueTask PutAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var generation = _pending.GenerationOf(key);
        bool written;
        try
        {
            (written, _) = await RunAsync(
                static async (inner, state, ct) =>
                {
                    await inner.PutAsync(state.key, state.value, state.options, ct).ConfigureAwait(false);
                    return true;
                },
                (key, value, options), key, PutOperation, Operation.Write, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The command may or may not land: make sure no older value is trusted either way.
            Remember(key, PutOperation);
            throw;
        }

        Settle(key, generation, written, PutOperation);
    }

    /// <inheritdoc />
    /// <returns>
    /// <see langword="true"/> only when the tier answered and held an entry. A removal the tier did not take is pending
    /// (see <see cref="InvalidateAsync"/>) and reported as <see langword="false"/>.
    /// </returns>
    public async ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default) =>
        await InvalidateAsync(key, cancellationToken).ConfigureAwait(false) == CacheInvalidationResult.Removed;

    /// <inheritdoc />
    public async ValueTask<CacheInvalidationResult> InvalidateAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var generation = _pending.GenerationOf(key);
        bool answered;
        bool removed;
        try
        {
            (answered, removed) = await RunAsync(
                static (inner, key, ct) => inner.RemoveAsync(key, ct),
                key, key, RemoveOperation, Operation.Remove, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Remember(key, RemoveOperation);
            throw;
        }

        Settle(key, generation, answered, RemoveOperation);
        return !answered ? CacheInvalidationResult.Pending
            : removed ? CacheInvalidationResult.Removed
            : CacheInvalidationResult.NotFound;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Not bounded by the timeout. A failed or refused clear is logged and left pending: until it is replayed, every
    /// read is a miss.
    /// </remarks>
    public async ValueTask ClearAsync(CancellationToken cancellationToken = default)
    {
        var (cleared, _) = await RunAsync(
            static async (inner, _, ct) =>
            {
                await inner.ClearAsync(ct).ConfigureAwait(false);
                return true;
            },
            0, null, ClearOperation, Operation.Clear, cancellationToken).ConfigureAwait(false);
        if (!cleared)
        {
            _pending.AddAll();
            ResilienceLog.InvalidationPending(_logger, _name, ClearOperation, null);
            StartRecovery();
        }
    }

    /// <inheritdoc />
    /// <remarks>Not bounded by the timeout.</remarks>
    /// <exception cref="CacheBackendUnavailableException">The tier is hanging, its circuit is open, or it failed.</exception>
    public async ValueTask<long> CountAsync(CancellationToken cancellationToken = default)
    {
        var (counted, count) = await RunAsync(
            static (inner, _, ct) => inner.CountAsync(ct),
            0, null, CountOperation, Operation.Count, cancellationToken).ConfigureAwait(false);
        return counted ? count : throw new CacheBackendUnavailableException($"Cannot {CountOperation} cache tier {_name}: its circuit is open or it is not answering.");
    }

    /// <inheritdoc />
    /// <remarks>
    /// A key whose removal is pending is a miss without asking the tier (its entry is as good as gone). A lookup the
    /// tier does not answer throws rather than guess: a miss would claim the entry is gone, which nobody knows.
    /// </remarks>
    /// <exception cref="CacheBackendUnavailableException">The tier is hanging, its circuit is open, or it failed or timed out.</exception>
    public async ValueTask<CacheResult<TimeSpan?>> GetTimeToLiveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (Untrusted(key, cancellationToken))
        {
            return CacheResult<TimeSpan?>.Miss;
        }

        var (answered, result) = await RunAsync(
            static (inner, key, ct) => inner.GetTimeToLiveAsync(key, ct),
            key, key, TimeToLiveOperation, Operation.Read, cancellationToken).ConfigureAwait(false);
        return answered ? result : throw NotAnswered(key);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Judged like a write. A key whose removal is pending reports <see langword="false"/> without asking the tier. A
    /// change the tier does not take (failed, timed out, refused by an open circuit, or abandoned by the caller's
    /// cancellation) is never reported as done: the key is left pending, so its entry is removed as soon as the tier
    /// answers and is never served meanwhile (whatever expiry it ends up with), and the call throws.
    /// </remarks>
    /// <exception cref="CacheBackendUnavailableException">The tier did not take the change; the key's removal is now pending.</exception>
    public ValueTask<bool> SetTimeToLiveAsync(string key, TimeSpan? timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (timeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeToLive), ttl, "A time to live must be greater than zero; pass null to remove the expiry.");
        }

        return ChangeTimeToLiveAsync(static (inner, state, ct) => inner.SetTimeToLiveAsync(state.key, state.timeToLive, ct), (key, timeToLive), key, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Judged like a write, as <see cref="SetTimeToLiveAsync"/> is.</remarks>
    /// <exception cref="CacheBackendUnavailableException">The tier did not take the change; the key's removal is now pending.</exception>
    public ValueTask<bool> ExpireAtAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return ChangeTimeToLiveAsync(static (inner, state, ct) => inner.ExpireAtAsync(state.key, state.expiresAt, ct), (key, expiresAt), key, cancellationToken);
    }

    private async ValueTask<bool> ChangeTimeToLiveAsync<TState>(
        Func<ICacheBackend, TState, CancellationToken, ValueTask<bool>> change, TState state, string key, CancellationToken cancellationToken)
    {
        if (Untrusted(key, cancellationToken))
        {
            return false;
        }

        bool answered;
        bool existed;
        try
        {
            (answered, existed) = await RunAsync(change, state, key, TimeToLiveOperation, Operation.Write, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The command may or may not land: the entry's expiry is unknown, so it goes.
            Remember(key, TimeToLiveOperation);
            throw;
        }

        if (!answered)
        {
            Remember(key, TimeToLiveOperation);
            throw NotAnswered(key);
        }

        return existed;
    }

    private CacheBackendUnavailableException NotAnswered(string key) =>
        new($"Cannot read or change the time to live of cache key '{key}' in cache tier {_name}: it is hanging, its circuit is open, or it failed.");

    /// <inheritdoc />
    /// <remarks>Blocks for at most <see cref="ResilientCacheBackendOptions.Timeout"/> while removals are pending (see <see cref="DisposeAsync"/>).</remarks>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            Synchronously.Wait(FlushPendingAsync());
            OwnedTier.Dispose(_inner);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Pending removals are kept in this process only. While any are pending, disposing sends them to the tier once
    /// more, waiting at most <see cref="ResilientCacheBackendOptions.Timeout"/>; those the tier still did not take are
    /// logged as an error naming their keys (event 1112), as the tier may serve their old values until they expire.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await FlushPendingAsync().ConfigureAwait(false);
            await OwnedTier.DisposeAsync(_inner).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends the pending removals to the tier one last time, within <see cref="ResilientCacheBackendOptions.Timeout"/>
    /// of real time (a shutdown must end whatever clock the cache runs on), and logs those still owed. Runs once; a
    /// <see cref="TwoLevelBackend"/> calls it before it stops announcing replays to the other processes.
    /// </summary>
    internal async ValueTask FlushPendingAsync()
    {
        if (Interlocked.Exchange(ref _flushed, 1) != 0 || _pending.IsEmpty)
        {
            return;
        }

        using (var deadline = new CancellationTokenSource(_timeout))
        {
            try
            {
                await ReplayAsync(deadline.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The last attempt at shutdown: whatever went wrong, what is still owed is logged below.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        if (!_pending.IsEmpty)
        {
            var owed = _pending.Keys();
            var named = string.Join(", ", owed.Take(MaxKeysLogged).Select(entry => entry.Key));
            if (_pending.AllGeneration != 0)
            {
                named = "(every key: more were owed than remembered)" + (named.Length > 0 ? ", " + named : string.Empty);
            }
            else if (owed.Length > MaxKeysLogged)
            {
                named += $" and {owed.Length - MaxKeysLogged} more";
            }

            ResilienceLog.PendingLostAtDispose(_logger, _name, _pending.Count, named);
        }
    }

    private static bool IsCallerFault(Exception exception, CancellationToken cancellationToken) =>
        exception is ArgumentException or ObjectDisposedException or CacheValueRejectedException or NotSupportedException
        || (exception is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private static void Observe(Task abandoned) =>
        _ = abandoned.ContinueWith(
            static t => _ = t.Exception,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    private CircuitBreaker CreateCircuit(CircuitBreakerOptions options, string name)
    {
        var circuit = new CircuitBreaker(options, _timeProvider);
        var breakDuration = options.BreakDuration;
        circuit.StateChanged += (_, e) =>
        {
            switch (e.NewState)
            {
                case CircuitState.Open:
                    ResilienceLog.CircuitOpened(_logger, name, breakDuration);
                    break;
                case CircuitState.HalfOpen:
                    ResilienceLog.CircuitHalfOpened(_logger, name);
                    break;
                default:
                    ResilienceLog.CircuitClosed(_logger, name);
                    break;
            }
        };
        return circuit;
    }

    private bool Untrusted(string key, CancellationToken cancellationToken)
    {
        if (!_pending.Covers(key))
        {
            return false;
        }

        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        return true;
    }

    private async ValueTask<TResult> ReadAsync<TResult>(
        Func<ICacheBackend, string, CancellationToken, ValueTask<TResult>> read, string key, TResult miss, CancellationToken cancellationToken)
    {
        var (answered, result) = await RunAsync(read, key, key, GetOperation, Operation.Read, cancellationToken).ConfigureAwait(false);
        return answered ? result : miss;
    }

    private void Settle(string key, long generation, bool reached, string operation)
    {
        if (reached)
        {
            // The tier took this call after every command sent before it for the key: an older pending removal is settled.
            _pending.Resolve(key, generation);
        }
        else
        {
            Remember(key, operation);
        }
    }

    private void Remember(string key, string operation)
    {
        if (_pending.Add(key))
        {
            ResilienceLog.InvalidationPending(_logger, _name, operation, key);
        }
        else
        {
            ResilienceLog.PendingOverflowed(_logger, _name, _maxPending);
        }

        StartRecovery();
    }

    // Observed calls take a second async frame (a span and a duration per call); unobserved ones go straight through.
    private ValueTask<(bool Answered, TResult Result)> RunAsync<TState, TResult>(
        Func<ICacheBackend, TState, CancellationToken, ValueTask<TResult>> operation,
        TState state,
        string? key,
        string operationName,
        Operation kind,
        CancellationToken cancellationToken) =>
        Telemetry.IsObserved
            ? RunObservedAsync(operation, state, key, operationName, kind, cancellationToken)
            : RunCoreAsync(operation, state, key, operationName, kind, cancellationToken);

    private async ValueTask<(bool Answered, TResult Result)> RunObservedAsync<TState, TResult>(
        Func<ICacheBackend, TState, CancellationToken, ValueTask<TResult>> operation,
        TState state,
        string? key,
        string operationName,
        Operation kind,
        CancellationToken cancellationToken)
    {
        var telemetry = Telemetry;
        var (startedAt, span) = telemetry.Start(operationName, key);
        try
        {
            var outcome = await RunCoreAsync(operation, state, key, operationName, kind, cancellationToken).ConfigureAwait(false);
            telemetry.Complete(operationName, startedAt, span, outcome.Answered ? null : TelemetryTags.Unavailable);
            return outcome;
        }
        catch (Exception e)
        {
            telemetry.Complete(operationName, startedAt, span, e.GetType().FullName);
            throw;
        }
    }

    private async ValueTask<(bool Answered, TResult Result)> RunCoreAsync<TState, TResult>(
        Func<ICacheBackend, TState, CancellationToken, ValueTask<TResult>> operation,
        TState state,
        string? key,
        string operationName,
        Operation kind,
        CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var writes = kind == Operation.Write;
        if (IsHanging || !ReadCircuit.TryAcquire())
        {
            ResilienceLog.OperationRefused(_logger, _name, operationName, key);
            return default;
        }

        if (writes && !WriteCircuit.TryAcquire())
        {
            ReadCircuit.RecordCancellation();
            ResilienceLog.OperationRefused(_logger, _name, operationName, key);
            return default;
        }

        Task? abandoned = null;
        try
        {
            var pending = operation(_inner, state, cancellationToken);
            TResult result;
            if (pending.IsCompleted || kind is Operation.Clear or Operation.Count)
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
                    abandoned = task;
                    Observe(task);
                    throw;
                }
            }

            ReadCircuit.RecordSuccess();
            if (writes)
            {
                WriteCircuit.RecordSuccess();
            }

            return (true, result);
        }
        catch (Exception ex) when (IsCallerFault(ex, cancellationToken))
        {
            ReadCircuit.RecordCancellation();
            if (writes)
            {
                WriteCircuit.RecordCancellation();
            }

            throw;
        }
        catch (Exception ex)
        {
            if (writes)
            {
                // A refused write says nothing about reads (a full Redis still answers them).
                WriteCircuit.RecordFailure();
                ReadCircuit.RecordCancellation();
            }
            else
            {
                ReadCircuit.RecordFailure();
            }

            if (ex is TimeoutException)
            {
                EnterHang(abandoned);
            }

            ResilienceLog.OperationFailed(_logger, _name, operationName, key, ex);
            if (kind == Operation.Count)
            {
                throw new CacheBackendUnavailableException($"Cannot {operationName} cache tier {_name}: it failed.", ex);
            }

            return default;
        }
    }

    private void EnterHang(Task? abandoned)
    {
        var generation = Interlocked.Increment(ref _hangGeneration);
        if (Interlocked.Exchange(ref _hanging, 1) == 0)
        {
            ResilienceLog.TierHanging(_logger, _name);
        }

        // The late answer of the abandoned call is the earliest sign that the tier is back.
        abandoned?.ContinueWith(
            (task, backend) =>
            {
                if (task.IsCompletedSuccessfully)
                {
                    ((ResilientCacheBackend)backend!).EndHang(generation);
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        StartRecovery();
    }

    private void EndHang(long generation)
    {
        if (Volatile.Read(ref _hangGeneration) == generation && Interlocked.Exchange(ref _hanging, 0) == 1)
        {
            ResilienceLog.TierAnswering(_logger, _name);
        }
    }

    private bool HasRecoveryWork => IsHanging || !_pending.IsEmpty;

    private void StartRecovery()
    {
        if (Volatile.Read(ref _disposed) == 0 && Interlocked.CompareExchange(ref _recovering, 1, 0) == 0)
        {
            _ = Task.Run(RecoverAsync);
        }
    }

    private async Task RecoverAsync()
    {
        var stopping = _stopping.Token;
        try
        {
            while (true)
            {
                if (!HasRecoveryWork)
                {
                    Volatile.Write(ref _recovering, 0);

                    // Work that arrived after the check above and found the flag still set is taken over here.
                    if (!HasRecoveryWork || Interlocked.CompareExchange(ref _recovering, 1, 0) != 0)
                    {
                        return;
                    }
                }

                await Task.Delay(_probeInterval, _timeProvider, stopping).ConfigureAwait(false);
                if (IsHanging && !await ProbeAsync(stopping).ConfigureAwait(false))
                {
                    continue;
                }

                await ReplayAsync(stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async ValueTask<bool> ProbeAsync(CancellationToken stopping)
    {
        var generation = Volatile.Read(ref _hangGeneration);
        var answered = await TryInBackgroundAsync(
            static async (inner, ct) =>
            {
                if (inner is ICacheTierProbe probe)
                {
                    await probe.PingAsync(ct).ConfigureAwait(false);
                }
                else
                {
                    await inner.GetAsync<byte>(ProbeKey, ct).ConfigureAwait(false);
                }
            },
            bounded: true,
            stopping).ConfigureAwait(false);
        if (answered)
        {
            EndHang(generation);
        }

        return answered;
    }

    private async ValueTask ReplayAsync(CancellationToken stopping)
    {
        var replayed = 0;
        try
        {
            if (_pending.AllGeneration is var allGeneration and not 0)
            {
                if (!await TryInBackgroundAsync(static (inner, ct) => inner.ClearAsync(ct), bounded: false, stopping).ConfigureAwait(false))
                {
                    return;
                }

                await AnnounceAsync(CacheInvalidation.All).ConfigureAwait(false);

                // Counted before it leaves the pending set: whoever sees no removal pending sees it counted.
                Interlocked.Increment(ref _replayed);
                _pending.ResolveAll(allGeneration);
                replayed++;
            }

            foreach (var batch in _pending.Keys().Chunk(ReplayBatch))
            {
                var removals = Array.ConvertAll(batch, entry => RemoveInBackgroundAsync(entry.Key, stopping));
                var all = Task.WhenAll(removals);
                try
                {
                    await all.WaitAsync(_timeout, _timeProvider, stopping).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    Observe(all);
                    EnterHang(all);
                }
                catch (Exception) when (!stopping.IsCancellationRequested)
                {
                    // Some removals failed; those that landed are settled below.
                }

                for (var i = 0; i < batch.Length; i++)
                {
                    if (removals[i].IsCompletedSuccessfully)
                    {
                        await AnnounceAsync(CacheInvalidation.ForKey(batch[i].Key)).ConfigureAwait(false);
                        Interlocked.Increment(ref _replayed);
                        _pending.Resolve(batch[i].Key, batch[i].Value);
                        replayed++;
                    }
                }

                if (!all.IsCompletedSuccessfully)
                {
                    return;
                }
            }
        }
        finally
        {
            if (replayed > 0)
            {
                ResilienceLog.InvalidationsReplayed(_logger, _name, replayed);
            }
        }
    }

    private async Task RemoveInBackgroundAsync(string key, CancellationToken stopping) =>
        await _inner.RemoveAsync(key, stopping).ConfigureAwait(false);

    private async ValueTask<bool> TryInBackgroundAsync(Func<ICacheBackend, CancellationToken, ValueTask> operation, bool bounded, CancellationToken stopping)
    {
        Task? task = null;
        try
        {
            task = operation(_inner, stopping).AsTask();
            await (bounded ? task.WaitAsync(_timeout, _timeProvider, stopping) : task).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException) when (!stopping.IsCancellationRequested)
        {
            Observe(task!);
            EnterHang(task);
            return false;
        }
#pragma warning disable CA1031 // A background probe or replay that fails is tried again later.
        catch (Exception) when (!stopping.IsCancellationRequested)
#pragma warning restore CA1031
        {
            if (task is not null)
            {
                Observe(task);
            }

            return false;
        }
    }

    private async ValueTask AnnounceAsync(CacheInvalidation invalidation)
    {
        if (ReplayHandler is not { } handler)
        {
            return;
        }

        try
        {
            await handler(invalidation).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The replay itself succeeded; a failing listener must not stop it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ResilienceLog.ReplayHandlerFailed(_logger, _name, ex);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private enum Operation
    {
        Read,
        Write,
        Remove,
        Clear,
        Count,
    }
}
