using System.Diagnostics.CodeAnalysis;
using Cacheweave.Backends;
using Cacheweave.Diagnostics;
using Cacheweave.FailSafe;
using Cacheweave.Serialization;
using Microsoft.Extensions.Logging;

namespace Cacheweave.Interception;

/// <summary>
/// The call flow of a cached method whose value is a <typeparamref name="T"/>: look up, and on a miss let one caller
/// per key run the method while the others wait and look again.
/// </summary>
internal abstract class CachedMethodPlan<T> : CachedMethodPlan, IEntrySource<T>
{
    private readonly CacheEntryOptions? _entryOptions;
    private readonly bool _cacheNulls;

    protected CachedMethodPlan(CachedMethodSettings settings, ICacheBackend backend, KeyedLock locks, ILogger logger)
        : base(settings, backend, locks, logger)
    {
        _entryOptions = settings.EntryOptions;
        _cacheNulls = settings.CacheNulls;
        Flow = settings.Lifetime is { } lifetime
            ? new EntryFlow<T>(backend, locks, lifetime, this, (Func<T, bool>?)settings.Unless, settings.TimeProvider, logger, Outcomes)
            : null;
    }

    /// <summary>The call flow of a method with lifetime options (its entries are envelopes); <see langword="null"/> for a plain method.</summary>
    protected EntryFlow<T>? Flow { get; }

    /// <summary>Calls the real service.</summary>
    protected abstract ValueTask<T> InvokeTargetAsync(object target, object?[] arguments);

    /// <summary>
    /// Looks the call up. Returns <see langword="true"/> with the value when the backend answered a hit synchronously
    /// (the hot path: no task, no state machine); otherwise returns <see langword="false"/> and a task that finishes the call.
    /// </summary>
    protected bool TryGetCompleted(object target, object?[] arguments, [MaybeNullWhen(false)] out T value, out ValueTask<T> pending)
    {
        var cancellationToken = CancellationOf(arguments);
        var scope = CacheScope.CurrentKind;
        if (scope == CacheScopeKind.Bypass)
        {
            Outcomes.Record(CacheCallOutcome.Bypass);
            value = default;
            pending = InvokeTargetAsync(target, arguments);
            return false;
        }

        long? keyVersion = null;
        if (Version is not null)
        {
            var read = Version.ReadAsync(arguments, cancellationToken);
            if (!read.IsCompletedSuccessfully)
            {
                value = default;
                pending = ResolveVersionAndGetAsync(read, target, arguments, cancellationToken);
                return false;
            }

            var current = read.Result;
            if (!current.TryGetValue(out var version))
            {
                value = default;
                pending = ResolveVersionAndGetAsync(new ValueTask<CacheResult<long>>(current), target, arguments, cancellationToken);
                return false;
            }

            keyVersion = version;
        }

        var handle = HandleOf(keyVersion, arguments);
        var key = handle.Key;

        if (Flow is not null || scope == CacheScopeKind.Refresh)
        {
            var answer = AnswerScopedOrEnveloped(key, keyVersion, target, arguments, cancellationToken);
            if (answer.IsCompletedSuccessfully)
            {
                value = answer.Result;
                pending = default;
                return true;
            }

            value = default;
            pending = answer;
            return false;
        }

        if (LocalBackend is { } local && !cancellationToken.IsCancellationRequested)
        {
            if (local.TryGetRemembered(handle, out value))
            {
                Outcomes.RecordHit();
                pending = default;
                return true;
            }

            if (LocalMissIsFinal)
            {
                pending = RunOnceAsync(key, keyVersion, null, target, arguments, cancellationToken);
                return false;
            }
        }

        var lookup = Backend.GetAsync<T>(key, cancellationToken);
        if (lookup.IsCompletedSuccessfully)
        {
            if (lookup.Result.TryGetValue(out value))
            {
                Outcomes.RecordHit();
                pending = default;
                return true;
            }

            pending = RunOnceAsync(key, keyVersion, null, target, arguments, cancellationToken);
            return false;
        }

        value = default;
        pending = AwaitLookupAsync(lookup, key, keyVersion, Locks.ReleaseStampOf(key), target, arguments, cancellationToken);
        return false;
    }

    /// <summary>Whether a result is written to the backend.</summary>
    protected bool ShouldStore(T value) => value is not null || _cacheNulls;

    /// <summary>The options every entry of the method is written with.</summary>
    protected CacheEntryOptions? EntryOptions => _entryOptions;

    /// <summary>
    /// The options to store <paramref name="value"/> with: <see cref="EntryOptions"/>, plus the value's size when the
    /// backend needs it (<see cref="CachedMethodPlan.Sizing"/>). Returns <see langword="false"/>, having logged and
    /// counted why, when the value is larger than the backend's whole byte budget or cannot be sized.
    /// </summary>
    protected bool TryGetStoreOptions(string key, T value, out CacheEntryOptions? options)
    {
        options = _entryOptions;
        return TryAddSize(key, value, ref options);
    }

    // Sizes a plain result or a fail-safe envelope alike: the length of its serialized form, when the backend has a
    // byte budget to count it against.
    private bool TryAddSize<TStored>(string key, TStored stored, ref CacheEntryOptions? options)
    {
        if (Sizing is not { } sizing)
        {
            return true;
        }

        try
        {
            options = (options ?? CacheEntryOptions.Default).WithSize(sizing.Measure(key, stored));
            return true;
        }
        catch (CacheValueRejectedException rejection) when (rejection.Reason == CacheValueRejectionReason.TooLarge)
        {
            ReportTooLarge(key, sizing.Budget);
        }
        catch (CacheValueRejectedException rejection)
        {
            ReportRejected(key, rejection);
        }

        return false;
    }

    private async ValueTask<T> ResolveVersionAndGetAsync(ValueTask<CacheResult<long>> read, object target, object?[] arguments, CancellationToken cancellationToken)
    {
        var version = await Version!.ResolveAsync(read, arguments, cancellationToken).ConfigureAwait(false);
        var key = Keys.Build(version, arguments);
        if (Flow is not null || CacheScope.CurrentKind == CacheScopeKind.Refresh)
        {
            return await AnswerScopedOrEnveloped(key, version, target, arguments, cancellationToken).ConfigureAwait(false);
        }

        var lookup = Backend.GetAsync<T>(key, cancellationToken);
        int? releaseStamp = lookup.IsCompleted ? null : Locks.ReleaseStampOf(key);
        return await AwaitLookupAsync(lookup, key, version, releaseStamp, target, arguments, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<T> AwaitLookupAsync(
        ValueTask<CacheResult<T>> lookup, string key, long? version, int? releaseStamp, object target, object?[] arguments, CancellationToken cancellationToken)
    {
        var found = await lookup.ConfigureAwait(false);
        if (found.TryGetValue(out var value))
        {
            Outcomes.RecordHit();
            return value;
        }

        return await RunOnceAsync(key, version, releaseStamp, target, arguments, cancellationToken).ConfigureAwait(false);
    }

    /// <param name="key">The call's key.</param>
    /// <param name="version">The version in the key, for a versioned method.</param>
    /// <param name="releaseStamp">The key's release stamp taken while the lookup was in flight; <see langword="null"/> when the lookup completed synchronously.</param>
    /// <param name="target">The real service.</param>
    /// <param name="arguments">The call's arguments.</param>
    /// <param name="cancellationToken">The caller's token: ends its wait for the key.</param>
    /// <param name="refresh">Run the method even when the entry was filled meanwhile (a refresh scope).</param>
    private async ValueTask<T> RunOnceAsync(
        string key, long? version, int? releaseStamp, object target, object?[] arguments, CancellationToken cancellationToken, bool refresh = false)
    {
        ThrowIfReentered(key);
        using var miss = Telemetry.StartMiss(key);

        // A waiter's token ends only its own wait; the caller that holds the key runs to completion.
        var acquisition = await Locks.AcquireAsync(key, Settings.LockTimeout, cancellationToken).ConfigureAwait(false);
        using (acquisition.Releaser)
        {
            if (!acquisition.Acquired)
            {
                ReportLockTimeout(key);
            }
            else if (!refresh && MustLookAgain(acquisition, key, releaseStamp))
            {
                // The caller that held the key may have filled it.
                var found = await Backend.GetAsync<T>(key, cancellationToken).ConfigureAwait(false);
                if (found.TryGetValue(out var cached))
                {
                    ReportFilledByOtherCaller(key);
                    return cached;
                }
            }

            var held = Locks.EnterFlow(key);
            try
            {
                // An exception leaves here before anything is stored, and the next waiter runs the method itself.
                var value = await RunOnMissAsync(key, target, arguments).ConfigureAwait(false);
                var stored = ShouldStore(value) && ArgumentsStillMatch(key, version, arguments) && await StoreAsync(key, value).ConfigureAwait(false);
                if (refresh && !stored)
                {
                    // A refresh replaces the entry: a result that is not kept must not leave the older one to answer.
                    await Backend.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
                }

                return value;
            }
            finally
            {
                Locks.LeaveFlow(held);
            }
        }
    }

    /// <summary>Runs the method for a caller whose key held nothing: counts the miss, times the run, traces and logs it.</summary>
    private async ValueTask<T> RunOnMissAsync(string key, object target, object?[] arguments)
    {
        var run = StartRunOnMiss(key);
        T value;
        try
        {
            value = await InvokeTargetAsync(target, arguments).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            EndRunOnMiss(key, run, e);
            throw;
        }

        EndRunOnMiss(key, run, null);
        return value;
    }

    /// <summary>Writes a result; <see langword="false"/>, having logged why, when it was too large or refused.</summary>
    private async ValueTask<bool> StoreAsync(string key, T value)
    {
        if (!TryGetStoreOptions(key, value, out var options))
        {
            return false;
        }

        try
        {
            // Not the caller's token: the value exists now, and dropping it would only cost the next caller.
            await Backend.PutAsync(key, value, options, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (CacheValueRejectedException rejection)
        {
            ReportRejected(key, rejection);
        }
        catch (CacheEntryTooLargeException tooLarge)
        {
            ReportTooLarge(key, tooLarge.MaxBytes);
        }

        return false;
    }

    // Lifetime options and scopes (issue 10): a method with lifetime options hands its calls to its EntryFlow; a plain
    // method in a refresh scope runs the method without looking the key up.
    private ValueTask<T> AnswerScopedOrEnveloped(string key, long? version, object target, object?[] arguments, CancellationToken cancellationToken) =>
        Flow is { } flow
            ? flow.GetAsync(new EntryRequest(key, version, target, arguments, cancellationToken))
            : RunOnceAsync(key, version, null, target, arguments, cancellationToken, refresh: true);

    string IEntrySource<T>.Name => Keys.Identity;

    bool IEntrySource<T>.Blocks => Settings.Shape == ReturnShape.Synchronous;

    ValueTask<T> IEntrySource<T>.RunAsync(object target, object?[] arguments, CancellationToken cancellationToken) => InvokeTargetAsync(target, arguments);

    bool IEntrySource<T>.StillDescribes(string key, long? version, object?[] arguments) => ArgumentsStillMatch(key, version, arguments);

    object?[] IEntrySource<T>.Detach(object?[] arguments)
    {
        var detached = (object?[])arguments.Clone();
        for (var i = 0; i < detached.Length; i++)
        {
            if (detached[i] is CancellationToken)
            {
                detached[i] = CancellationToken.None;
            }
        }

        return detached;
    }

    void IEntrySource<T>.ReportRejected(string key, CacheValueRejectedException rejection) => ReportRejected(key, rejection);

    void IEntrySource<T>.ReportLockTimeout(string key) => ReportLockTimeout(key);

    bool IEntrySource<T>.TrySize(string key, CacheEnvelope<T> envelope, ref CacheEntryOptions? options) =>
        TryAddSize(key, envelope, ref options);
}
