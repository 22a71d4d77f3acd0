using System.Diagnostics.CodeAnalysis;
using Cacheweave.Backends;
using Cacheweave.Diagnostics;
using Cacheweave.Serialization;
using Microsoft.Extensions.Logging;

namespace Cacheweave.Interception;

/// <summary>
/// The call flow of a cached method whose value is a <typeparamref name="T"/>: look up, and on a miss let one caller
/// per key run the method while the others wait and look again.
/// </summary>
internal abstract class CachedMethodPlan<T> : CachedMethodPlan
{
    private readonly CacheEntryOptions? _entryOptions;
    private readonly bool _cacheNulls;

    protected CachedMethodPlan(CachedMethodSettings settings, ICacheBackend backend, KeyedLock locks, ILogger logger)
        : base(settings, backend, locks, logger)
    {
        _entryOptions = settings.EntryOptions;
        _cacheNulls = settings.CacheNulls;
    }

    /// <summary>Calls the real service.</summary>
    protected abstract ValueTask<T> InvokeTargetAsync(object target, object?[] arguments);

    /// <summary>
    /// Looks the call up. Returns <see langword="true"/> with the value when the backend answered a hit synchronously
    /// (the hot path: no task, no state machine); otherwise returns <see langword="false"/> and a task that finishes the call.
    /// </summary>
    protected bool TryGetCompleted(object target, object?[] arguments, [MaybeNullWhen(false)] out T value, out ValueTask<T> pending)
    {
        var cancellationToken = CancellationOf(arguments);
        string key;
        long? keyVersion = null;
        if (Version is null)
        {
            key = Keys.Build(arguments);
        }
        else
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

            key = Keys.Build(version, arguments);
            keyVersion = version;
        }

        var lookup = Backend.GetAsync<T>(key, cancellationToken);
        if (lookup.IsCompletedSuccessfully)
        {
            if (lookup.Result.TryGetValue(out value))
            {
                Outcomes.Record(CacheCallOutcome.Hit);
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
        if (Sizing is not { } sizing)
        {
            return true;
        }

        try
        {
            options = (_entryOptions ?? CacheEntryOptions.Default).WithSize(sizing.Measure(key, value));
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
            Outcomes.Record(CacheCallOutcome.Hit);
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
    private async ValueTask<T> RunOnceAsync(
        string key, long? version, int? releaseStamp, object target, object?[] arguments, CancellationToken cancellationToken)
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
            else if (MustLookAgain(acquisition, key, releaseStamp))
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
                if (ShouldStore(value) && ArgumentsStillMatch(key, version, arguments))
                {
                    await StoreAsync(key, value).ConfigureAwait(false);
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

    private async ValueTask StoreAsync(string key, T value)
    {
        if (!TryGetStoreOptions(key, value, out var options))
        {
            return;
        }

        try
        {
            // Not the caller's token: the value exists now, and dropping it would only cost the next caller.
            await Backend.PutAsync(key, value, options, CancellationToken.None).ConfigureAwait(false);
        }
        catch (CacheValueRejectedException rejection)
        {
            ReportRejected(key, rejection);
        }
        catch (CacheEntryTooLargeException tooLarge)
        {
            ReportTooLarge(key, tooLarge.MaxBytes);
        }
    }
}
