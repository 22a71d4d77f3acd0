using Cacheweave.Backends;
using Cacheweave.Diagnostics;
using Cacheweave.FailSafe;
using Cacheweave.Keys;
using Cacheweave.Serialization;
using Castle.DynamicProxy;
using Microsoft.Extensions.Logging;

namespace Cacheweave.Interception;

/// <summary>
/// The plan of a cached method returning a synchronous <c>T</c>. The caller's thread does the work, so waiting for
/// another caller of the same key blocks it, and so does a backend that completes asynchronously.
/// </summary>
internal sealed class SyncMethodPlan<T> : CachedMethodPlan<T>
{
    private readonly Func<object, object?[], T> _invoke;

    // The box of the last value-type hit, reused when the next hit carries the same value.
    private object? _lastBoxed;

    public SyncMethodPlan(CachedMethodSettings settings, ICacheBackend backend, KeyedLock locks, ILogger logger)
        : base(settings, backend, locks, logger)
    {
        _invoke = TargetInvoker.Compile<T>(settings.Method);
    }

    public override void Intercept(IInvocation invocation)
    {
        var value = GetOrRun(invocation.InvocationTarget!, invocation.Arguments);
        invocation.ReturnValue = typeof(T).IsValueType ? Boxed(value) : value;
    }

    protected override ValueTask<T> InvokeTargetAsync(object target, object?[] arguments) => new(_invoke(target, arguments));

    private T GetOrRun(object target, object?[] arguments)
    {
        var cancellationToken = CancellationOf(arguments);
        var scope = CacheScope.CurrentKind;
        if (scope == CacheScopeKind.Bypass)
        {
            Outcomes.Record(CacheCallOutcome.Bypass);
            return _invoke(target, arguments);
        }

        long? version = Version is null ? null : Version.Resolve(arguments, cancellationToken);
        var handle = HandleOf(version, arguments);
        var key = handle.Key;
        if (Flow is not null)
        {
            return Synchronously.Wait(Flow.GetAsync(new EntryRequest(key, version, target, arguments, cancellationToken)));
        }

        var refresh = scope == CacheScopeKind.Refresh;
        int? releaseStamp = null;
        T? cached;
        var lookedUp = false;
        if (!refresh && LocalBackend is { } local && !cancellationToken.IsCancellationRequested)
        {
            if (local.TryGetRemembered<T>(handle, out var hit))
            {
                Outcomes.RecordHit();
                return hit;
            }

            lookedUp = LocalMissIsFinal;
        }

        if (!refresh && !lookedUp)
        {
            var lookup = Backend.GetAsync<T>(key, cancellationToken);
            releaseStamp = lookup.IsCompleted ? null : Locks.ReleaseStampOf(key);
            if (Synchronously.Wait(lookup).TryGetValue(out cached))
            {
                Outcomes.RecordHit();
                return cached;
            }
        }

        ThrowIfReentered(key);
        using var miss = Telemetry.StartMiss(key);
        var acquisition = Locks.Acquire(key, Settings.LockTimeout, cancellationToken);
        using (acquisition.Releaser)
        {
            if (!acquisition.Acquired)
            {
                ReportLockTimeout(key);
            }
            else if (!refresh && MustLookAgain(acquisition, key, releaseStamp) && Synchronously.Wait(Backend.GetAsync<T>(key, cancellationToken)).TryGetValue(out cached))
            {
                ReportFilledByOtherCaller(key);
                return cached;
            }

            var held = Locks.EnterFlow(key);
            try
            {
                var value = RunOnMiss(key, target, arguments);
                var stored = ShouldStore(value) && ArgumentsStillMatch(key, version, arguments) && Store(key, value);
                if (refresh && !stored)
                {
                    // A refresh replaces the entry: a result that is not kept must not leave the older one to answer.
                    Synchronously.Wait(Backend.RemoveAsync(key, CancellationToken.None));
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
    private T RunOnMiss(string key, object target, object?[] arguments)
    {
        var run = StartRunOnMiss(key);
        T value;
        try
        {
            value = _invoke(target, arguments);
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
    private bool Store(string key, T value)
    {
        if (!TryGetStoreOptions(key, value, out var options))
        {
            return false;
        }

        try
        {
            Synchronously.Wait(Backend.PutAsync(key, value, options, CancellationToken.None));
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

    private object? Boxed(T value)
    {
        // Read the shared slot once (see ValueTaskMethodPlan<T>.Completed).
        var lastBoxed = _lastBoxed;
        if (lastBoxed is T last && SameValue<T>.Equals(last, value))
        {
            return lastBoxed;
        }

        object? boxed = value;
        _lastBoxed = boxed;
        return boxed;
    }
}
