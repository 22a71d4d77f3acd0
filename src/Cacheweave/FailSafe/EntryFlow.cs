using Cacheweave.Backends;
using Cacheweave.Diagnostics;
using Cacheweave.Interception;
using Cacheweave.Serialization;
using Microsoft.Extensions.Logging;

namespace Cacheweave.FailSafe;

/// <summary>
/// The call flow of an entry stored as a <see cref="CacheEnvelope{T}"/>: serve it while it is fresh, refresh it in the
/// background once it is due, and when it has expired let one caller per key run the method, bounded by the soft and
/// hard timeouts, falling back to the stale value when the method fails. Cached proxies use it for methods with any of
/// the lifetime options, and <c>GetOrCreateAsync</c> for every call.
/// </summary>
/// <remarks>
/// A run holds the key's lock from start to end, also when its caller stopped waiting (a timeout), so that at most
/// one run per key is in flight, in the foreground or in the background; background runs never make a caller wait.
/// </remarks>
internal sealed class EntryFlow<T>
{
    private readonly ICacheBackend _backend;
    private readonly KeyedLock _locks;
    private readonly EntryLifetime _lifetime;
    private readonly IEntrySource<T> _source;
    private readonly Func<T, bool>? _unless;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CallOutcomeCounters? _outcomes;
    private readonly RetrySchedule _retries = new();

    /// <param name="backend">Where the envelopes live.</param>
    /// <param name="locks">The per-key locks shared with every other caller of the backend's keys.</param>
    /// <param name="lifetime">The lifetime rules.</param>
    /// <param name="source">Runs the method and hears about refused values.</param>
    /// <param name="unless">Says which results not to store; <see langword="null"/> stores all.</param>
    /// <param name="time">The clock of the logical lifetime and of the timeouts.</param>
    /// <param name="logger">Where fail-safe activations and background failures are logged.</param>
    /// <param name="outcomes">Where call outcomes are counted; <see langword="null"/> counts nothing.</param>
    public EntryFlow(
        ICacheBackend backend, KeyedLock locks, EntryLifetime lifetime, IEntrySource<T> source, Func<T, bool>? unless, TimeProvider time, ILogger logger,
        CallOutcomeCounters? outcomes)
    {
        _backend = backend;
        _locks = locks;
        _lifetime = lifetime;
        _source = source;
        _unless = unless;
        _time = time;
        _logger = logger;
        _outcomes = outcomes;
    }

    /// <summary>
    /// Answers one call. A fresh (or throttled) entry read synchronously completes synchronously without allocating;
    /// otherwise the returned task finishes the call.
    /// </summary>
    public ValueTask<T> GetAsync(EntryRequest request)
    {
        var scope = CacheScope.CurrentKind;
        if (scope == CacheScopeKind.Bypass)
        {
            Record(CacheCallOutcome.Bypass);
            return _source.RunAsync(request.Target, request.Arguments, request.CancellationToken);
        }

        var refresh = scope == CacheScopeKind.Refresh;
        var lookup = _backend.GetAsync<CacheEnvelope<T>>(request.Key, request.CancellationToken);
        if (!lookup.IsCompletedSuccessfully)
        {
            return AwaitLookupAsync(request, lookup, _locks.ReleaseStampOf(request.Key), refresh);
        }

        var found = lookup.Result;
        return !refresh && TryAnswer(request, found, out var value)
            ? new ValueTask<T>(value)
            : RunAsync(request, StaleOf(found), releaseStamp: null, refresh, replaces: refresh || found.HasValue);
    }

    private async ValueTask<T> AwaitLookupAsync(EntryRequest request, ValueTask<CacheResult<CacheEnvelope<T>>> lookup, int releaseStamp, bool refresh)
    {
        var found = await lookup.ConfigureAwait(false);
        return !refresh && TryAnswer(request, found, out var value)
            ? value
            : await RunAsync(request, StaleOf(found), releaseStamp, refresh, replaces: refresh || found.HasValue).ConfigureAwait(false);
    }

    /// <summary>Answers from a fresh entry (starting an eager refresh when one is due) or from a throttled stale one.</summary>
    private bool TryAnswer(EntryRequest request, CacheResult<CacheEnvelope<T>> found, out T value)
    {
        if (!found.TryGetValue(out var envelope) || envelope is null)
        {
            value = default!;
            return false;
        }

        var now = NowTicks();
        if (now < envelope.ExpiresAtTicks)
        {
            if (IsRefreshDue(envelope, now) && !_retries.IsWaiting(request.Key, now))
            {
                StartRefresh(request);
                Record(CacheCallOutcome.EagerRefresh);
            }
            else
            {
                Record(CacheCallOutcome.Hit);
            }

            value = envelope.Value;
            return true;
        }

        // RetryAfterTicks is only written by versions before the retry schedule; it is still honoured when read.
        if ((now < envelope.RetryAfterTicks || _retries.IsWaiting(request.Key, now)) && now < FailSafeEndTicks(envelope))
        {
            Record(CacheCallOutcome.StaleServed);
            value = envelope.Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>The envelope found, when it may stand in for a failed or slow run; otherwise <see langword="null"/>.</summary>
    private CacheEnvelope<T>? StaleOf(CacheResult<CacheEnvelope<T>> found) =>
        _lifetime.FailSafe > TimeSpan.Zero && found.TryGetValue(out var envelope) && envelope is not null && NowTicks() < FailSafeEndTicks(envelope)
            ? envelope
            : null;

    /// <param name="request">The call.</param>
    /// <param name="stale">The entry found, when it may stand in for a failed or slow run.</param>
    /// <param name="releaseStamp">The key's release stamp taken while the lookup was in flight; <see langword="null"/> when it completed synchronously.</param>
    /// <param name="refresh">Run the method even when the entry was filled meanwhile (a refresh scope).</param>
    /// <param name="replaces">An entry (fresh, stale or expired) may be under the key: a result that is not stored removes it.</param>
    private async ValueTask<T> RunAsync(EntryRequest request, CacheEnvelope<T>? stale, int? releaseStamp, bool refresh, bool replaces)
    {
        var key = request.Key;
        if (_locks.IsHeldByCurrentFlow(key))
        {
            throw new InvalidOperationException(
                $"{_source.Name} asked for its own entry ({key}) while computing it, and would wait for itself forever.");
        }

        // A caller waiting for another caller's run is bound by the same soft or hard timeout as the run's own caller.
        var bound = WaitBound(stale);
        var startedAt = _time.GetTimestamp();
        LockAcquisition acquisition;
        if (bound == Timeout.InfiniteTimeSpan)
        {
            acquisition = await _locks.AcquireAsync(key, _lifetime.LockTimeout, request.CancellationToken).ConfigureAwait(false);
        }
        else
        {
            using var budget = new CancellationTokenSource(bound, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(request.CancellationToken, budget.Token);
            try
            {
                acquisition = await _locks.AcquireAsync(key, _lifetime.LockTimeout, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested && !request.CancellationToken.IsCancellationRequested)
            {
                if (stale is null)
                {
                    Record(CacheCallOutcome.Miss);
                }

                return StopWaiting(request, stale, bound, "another caller's run of the key");
            }
        }

        Task<T> run;
        var handedOver = false;
        try
        {
            if (!acquisition.Acquired)
            {
                _source.ReportLockTimeout(key);
            }
            else if (!refresh && _locks.MayHaveBeenFilled(acquisition, key, releaseStamp))
            {
                // The caller that held the key may have refreshed the entry.
                var found = await _backend.GetAsync<CacheEnvelope<T>>(key, request.CancellationToken).ConfigureAwait(false);
                if (TryAnswer(request, found, out var value))
                {
                    return value;
                }

                stale = StaleOf(found) ?? stale;
                replaces |= found.HasValue;
            }

            // From here the run owns the key and releases it when the method ends, even after this caller stopped waiting.
            run = RunHeldAsync(acquisition.Releaser, request, stale, replaces);
            handedOver = true;
        }
        finally
        {
            if (!handedOver)
            {
                acquisition.Releaser.Dispose();
            }
        }

        return await WaitForRunAsync(run, request, stale, _time.GetElapsedTime(startedAt)).ConfigureAwait(false);
    }

    // How long a caller waits at most, for the key and then for the run: the soft timeout when there is a stale value
    // to fall back on, else the hard timeout (infinite when neither applies).
    private TimeSpan WaitBound(CacheEnvelope<T>? stale) =>
        stale is not null && _lifetime.SoftTimeout != Timeout.InfiniteTimeSpan ? _lifetime.SoftTimeout : _lifetime.HardTimeout;

    private static TimeSpan Remaining(TimeSpan timeout, TimeSpan waited) =>
        timeout == Timeout.InfiniteTimeSpan ? timeout : timeout > waited ? timeout - waited : TimeSpan.Zero;

    // The caller's wait reached its bound: the stale value if there is one, else a TimeoutException.
    private T StopWaiting(EntryRequest request, CacheEnvelope<T>? stale, TimeSpan bound, string waitedFor)
    {
        if (stale is not null && bound == _lifetime.SoftTimeout)
        {
            Record(CacheCallOutcome.StaleServed);
            return stale.Value;
        }

        if (stale is not null)
        {
            Record(CacheCallOutcome.FailSafe);
            InterceptionLog.FailSafeAfterTimeout(_logger, _source.Name, request.Key, _lifetime.HardTimeout);
            return stale.Value;
        }

        throw new TimeoutException(
            $"{_source.Name} did not return within its hard timeout of {_lifetime.HardTimeout.TotalMilliseconds} ms (waiting for {waitedFor}), " +
            $"and no stale value was there to serve for {request.Key}. The method goes on running and fills the entry if it succeeds.");
    }

    private async Task<T> WaitForRunAsync(Task<T> run, EntryRequest request, CacheEnvelope<T>? stale, TimeSpan waited)
    {
        var cancellationToken = request.CancellationToken;
        var softTimeout = Remaining(_lifetime.SoftTimeout, waited);
        var hardTimeout = Remaining(_lifetime.HardTimeout, waited);
        try
        {
            if (stale is not null && _lifetime.SoftTimeout != Timeout.InfiniteTimeSpan)
            {
                if (!await CompletesWithinAsync(run, softTimeout, cancellationToken).ConfigureAwait(false))
                {
                    // The run goes on in the background and refreshes the entry when it ends.
                    ObserveInBackground(run, request.Key);
                    Record(CacheCallOutcome.StaleServed);
                    return stale.Value;
                }
            }
            else if (_lifetime.HardTimeout != Timeout.InfiniteTimeSpan &&
                !await CompletesWithinAsync(run, hardTimeout, cancellationToken).ConfigureAwait(false))
            {
                ObserveInBackground(run, request.Key);
                return StopWaiting(request, stale, _lifetime.HardTimeout, "the method");
            }

            var result = await run.ConfigureAwait(false);
            Record(CacheCallOutcome.Miss);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (!run.IsCompleted)
            {
                ObserveInBackground(run, request.Key);
            }

            throw;
        }
        catch (Exception exception) when (stale is not null && run.IsCompleted)
        {
            Record(CacheCallOutcome.FailSafe);
            InterceptionLog.FailSafeAfterFailure(_logger, _source.Name, request.Key, exception);
            return stale.Value;
        }
        catch (Exception) when (stale is null)
        {
            // The method ran (or was given up on) and its exception, or the timeout, reaches the caller.
            Record(CacheCallOutcome.Miss);
            throw;
        }
    }

    private async Task<bool> CompletesWithinAsync(Task<T> run, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await run.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException) when (!cancellationToken.IsCancellationRequested)
        {
            // The run may have completed between the timer firing and this check: then its own outcome stands.
            return run.IsCompleted;
        }
    }

    private async Task<T> RunHeldAsync(KeyedLock.Releaser releaser, EntryRequest request, CacheEnvelope<T>? stale, bool replaces)
    {
        using (releaser)
        {
            T value;
            var held = _locks.EnterFlow(request.Key);
            try
            {
                value = await InvokeAsync(request).ConfigureAwait(false);
            }
            catch (Exception) when (stale is not null && _lifetime.FailSafeThrottle > TimeSpan.Zero && !request.CancellationToken.IsCancellationRequested)
            {
                // Held back in this process only: the entry is not rewritten, so an invalidation made while the method
                // ran stays in force.
                _retries.Delay(request.Key, Math.Min(NowTicks() + _lifetime.FailSafeThrottle.Ticks, FailSafeEndTicks(stale)));
                throw;
            }
            finally
            {
                _locks.LeaveFlow(held);
            }

            await StoreAsync(request, value, replaces).ConfigureAwait(false);
            return value;
        }
    }

    private ValueTask<T> InvokeAsync(EntryRequest request) =>
        _source.Blocks && _lifetime.HasTimeouts
            ? new ValueTask<T>(Task.Run(() => _source.RunAsync(request.Target, request.Arguments, request.CancellationToken).AsTask()))
            : _source.RunAsync(request.Target, request.Arguments, request.CancellationToken);

    private bool IsRefreshDue(CacheEnvelope<T> envelope, long now) =>
        _lifetime.EagerRefresh > 0 &&
        now >= envelope.CreatedAtTicks + (long)((envelope.ExpiresAtTicks - envelope.CreatedAtTicks) * _lifetime.EagerRefresh);

    private void StartRefresh(EntryRequest request)
    {
        // Nobody waits for the key: when another run holds it, that run refreshes the entry already.
        if (!_locks.TryAcquire(request.Key, out var releaser))
        {
            return;
        }

        var detached = request with { Arguments = _source.Detach(request.Arguments), CancellationToken = CancellationToken.None };

        // The refresh belongs to no caller: it starts without the caller's scope, held keys or activity.
        if (ExecutionContext.IsFlowSuppressed())
        {
            _ = Task.Run(() => RefreshAsync(releaser, detached));
            return;
        }

        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(() => RefreshAsync(releaser, detached));
        }
    }

    private async Task RefreshAsync(KeyedLock.Releaser releaser, EntryRequest request)
    {
        try
        {
            using (releaser)
            {
                // A run that held the key since the hit may have refreshed the entry already.
                var found = await _backend.GetAsync<CacheEnvelope<T>>(request.Key, CancellationToken.None).ConfigureAwait(false);
                if (found.TryGetValue(out var envelope) && envelope is not null && !IsRefreshDue(envelope, NowTicks()))
                {
                    return;
                }

                T value;
                var held = _locks.EnterFlow(request.Key);
                try
                {
                    value = await _source.RunAsync(request.Target, request.Arguments, CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    _locks.LeaveFlow(held);
                }

                await StoreAsync(request, value, replaces: true).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // A background refresh has no caller to throw to: its failure is logged and the entry stays as it was.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            // Due hits would otherwise start a new run each, against a dependency that is failing.
            _retries.Delay(request.Key, NowTicks() + RefreshRetryDelayTicks());
            InterceptionLog.BackgroundRunFailed(_logger, _source.Name, request.Key, exception);
        }
    }

    private void ObserveInBackground(Task<T> run, string key) =>
        run.ContinueWith(
            static (task, state) =>
            {
                var (flow, key) = ((EntryFlow<T>, string))state!;
                InterceptionLog.BackgroundRunFailed(flow._logger, flow._source.Name, key, task.Exception!.GetBaseException());
            },
            (this, key),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    /// <summary>
    /// Stores a run's result. When the result is not stored (a null not cached, <c>Unless</c>, arguments changed during
    /// the run, too large or refused) and <paramref name="replaces"/>, the key is removed: the entry the run was to
    /// replace (fresh in a refresh scope or an eager refresh, stale or expired otherwise) must not answer later calls,
    /// nor stand in for a later failure, once the method has returned something newer.
    /// </summary>
    private async ValueTask StoreAsync(EntryRequest request, T value, bool replaces)
    {
        // The method succeeded: whatever delay an earlier failure set is over.
        _retries.Clear(request.Key);
        if (!await TryStoreAsync(request, value).ConfigureAwait(false) && replaces)
        {
            await _backend.RemoveAsync(request.Key, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async ValueTask<bool> TryStoreAsync(EntryRequest request, T value)
    {
        if ((value is null && !_lifetime.CacheNulls) || (_unless is not null && _unless(value)) ||
            !_source.StillDescribes(request.Key, request.Version, request.Arguments))
        {
            return false;
        }

        var now = NowTicks();
        var timeToLive = value is null && _lifetime.NullTimeToLive is { } nullTimeToLive ? nullTimeToLive : _lifetime.TimeToLive;
        CacheEnvelope<T> envelope;
        CacheEntryOptions? options = null;
        if (timeToLive is { } logical)
        {
            if (_lifetime.Jitter > TimeSpan.Zero)
            {
                logical += TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * _lifetime.Jitter.Ticks));
            }

            envelope = new CacheEnvelope<T>(value, now, now + logical.Ticks, 0);
            options = new CacheEntryOptions { TimeToLive = logical + _lifetime.FailSafe };
        }
        else
        {
            envelope = new CacheEnvelope<T>(value, now, long.MaxValue, 0);
        }

        return await PutAsync(request.Key, envelope, options).ConfigureAwait(false);
    }

    // After a failed eager refresh: the fail-safe throttle when there is one, else a tenth of the time to live.
    private long RefreshRetryDelayTicks() =>
        _lifetime.FailSafeThrottle > TimeSpan.Zero
            ? _lifetime.FailSafeThrottle.Ticks
            : Math.Max(1, (_lifetime.TimeToLive ?? TimeSpan.Zero).Ticks / 10);

    private async ValueTask<bool> PutAsync(string key, CacheEnvelope<T> envelope, CacheEntryOptions? options)
    {
        if (!_source.TrySize(key, envelope, ref options))
        {
            return false;
        }

        try
        {
            // Not the caller's token: the value exists now, and dropping it would only cost the next caller.
            await _backend.PutAsync(key, envelope, options, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (CacheValueRejectedException rejection)
        {
            _source.ReportRejected(key, rejection);
            return false;
        }
    }

    private long FailSafeEndTicks(CacheEnvelope<T> envelope) =>
        envelope.ExpiresAtTicks > long.MaxValue - _lifetime.FailSafe.Ticks ? long.MaxValue : envelope.ExpiresAtTicks + _lifetime.FailSafe.Ticks;

    private long NowTicks() => _time.GetUtcNow().UtcTicks;

    private void Record(CacheCallOutcome outcome) => _outcomes?.Record(outcome);
}
