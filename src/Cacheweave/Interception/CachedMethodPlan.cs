using Cacheweave.Backends;
using Cacheweave.Diagnostics;
using Cacheweave.Keys;
using Cacheweave.Serialization;
using Cacheweave.Tags;
using Cacheweave.Tiers;
using Microsoft.Extensions.Logging;

namespace Cacheweave.Interception;

/// <summary>The part of a cached method's plan that does not depend on its value type: keys, backend, version, invalidation.</summary>
internal abstract class CachedMethodPlan : MethodPlan
{
    private readonly int _cancellationIndex;
    private readonly MethodVersion? _methodVersion;
    private long _argumentsChanged;
    private long _rejected;
    private long _lockTimeouts;
    private long _tooLarge;

    protected CachedMethodPlan(CachedMethodSettings settings, ICacheBackend backend, KeyedLock locks, ILogger logger)
    {
        Settings = settings;
        Backend = backend;
        LocalBackend = backend as InMemoryBackend ?? (backend as TwoLevelBackend)?.LocalTier as InMemoryBackend;
        Locks = locks;
        Logger = logger;
        Keys = new CacheKeyBuilder(settings.Method, settings.Prefix, settings.ServiceType);
        _methodVersion = settings.Versioned ? new MethodVersion(Keys.VersionKey, backend, locks) : null;
        Tags = settings.Tags.Count > 0 ? new TagVersions(settings.Tags, backend, locks, _methodVersion) : null;
        Version = (KeyVersion?)Tags ?? _methodVersion;
        Telemetry = new MethodTelemetry(MethodIdentity.Of(settings.ServiceType), settings.Method.Name, settings.Backend ?? TelemetryTags.DefaultBackend);
        _cancellationIndex = Array.FindIndex(settings.Method.GetParameters(), static p => p.ParameterType == typeof(CancellationToken));
    }

    /// <summary>The method's settings.</summary>
    public CachedMethodSettings Settings { get; }

    /// <summary>Builds the method's keys.</summary>
    public CacheKeyBuilder Keys { get; }

    /// <summary>The backend the method's entries live in.</summary>
    public ICacheBackend Backend { get; }

    /// <summary>
    /// The in-memory backend that answers a hit exactly as <see cref="Backend"/> would: the backend itself when it is
    /// an in-memory one, or the local tier of a <see cref="TwoLevelBackend"/> whose L1 is (an L1 hit is returned as
    /// it is); else <see langword="null"/>. A plain hit reads it through
    /// <see cref="InMemoryBackend.TryGetRemembered{T}(Keys.KeyHandle, out T)"/>, which answers what its <c>GetAsync</c> does,
    /// without building a <see cref="ValueTask{TResult}"/> or dispatching the interface's generic method (twice,
    /// through a two-level backend), and, while the entry the key's handle remembers is live, without reading the
    /// backend's map.
    /// </summary>
    protected InMemoryBackend? LocalBackend { get; }

    /// <summary>
    /// Whether a miss in <see cref="LocalBackend"/> is a miss of <see cref="Backend"/>; false for the L1 of a
    /// two-level backend, where a local miss goes on to <see cref="Backend"/> (which reads L2).
    /// </summary>
    protected bool LocalMissIsFinal => ReferenceEquals(LocalBackend, Backend);

    /// <summary>How this method's calls were answered, counted per outcome.</summary>
    public CallOutcomeCounters Outcomes { get; } = new();

    /// <summary>Spans and run durations of this method; replaced (before the first call) when the container has Cacheweave's meter.</summary>
    public MethodTelemetry Telemetry { get; internal set; }

    /// <summary>The per-key locks shared by every plan of the container.</summary>
    protected KeyedLock Locks { get; }

    /// <summary>
    /// What the keys carry besides the arguments: the method's version (versioned method), the versions of the call's
    /// tags (tagged method), or both folded into one number; <see langword="null"/> for neither.
    /// </summary>
    protected KeyVersion? Version { get; }

    /// <summary>The versions of the call's tags, for a tagged method; otherwise <see langword="null"/>.</summary>
    public TagVersions? Tags { get; }

    /// <summary>Where the plan reports results it did not store.</summary>
    protected ILogger Logger { get; }

    /// <summary>How many results were returned but not stored because an argument changed while the call ran.</summary>
    public long ArgumentsChangedCount => Interlocked.Read(ref _argumentsChanged);

    /// <summary>How many results were returned but not stored because the backend refused them (<see cref="CacheValueRejectedException"/>).</summary>
    public long RejectedCount => Interlocked.Read(ref _rejected);

    /// <summary>How many results were returned but not stored because they were larger than their backend's whole byte budget.</summary>
    public long TooLargeCount => Interlocked.Read(ref _tooLarge);

    /// <summary>
    /// How the method sizes what it writes, when its backend has a byte budget and no sizer; otherwise <see langword="null"/>.
    /// Set by <see cref="MethodPlanFactory"/> before the plan is used.
    /// </summary>
    internal EntrySizing? Sizing { get; set; }

    /// <summary>How many callers stopped waiting for another caller of their key and ran the method themselves.</summary>
    public long LockTimeoutCount => Interlocked.Read(ref _lockTimeouts);

    /// <summary>Fails a call that would wait for a key its own async flow holds: a method re-entering its own entry.</summary>
    /// <exception cref="InvalidOperationException">The current flow holds <paramref name="key"/>.</exception>
    protected void ThrowIfReentered(string key)
    {
        if (Locks.IsHeldByCurrentFlow(key))
        {
            throw new InvalidOperationException(
                $"{Keys.Identity} called itself through the cached proxy with the same key ({key}) while computing that entry, and would " +
                "wait for itself forever. Call the real service for the inner call, or change its arguments.");
        }
    }

    /// <summary>
    /// Whether a caller that took the lock for <paramref name="key"/> must look the key up again before running the
    /// method: when it had to wait, when its lookup completed synchronously (<paramref name="releaseStamp"/> is
    /// <see langword="null"/>: a second in-memory lookup costs next to nothing), or when a holder released the key
    /// since its asynchronous lookup was issued. Otherwise nobody can have filled the key, and a second lookup of a
    /// remote tier would only spend a second round trip (a second timeout, while the tier hangs).
    /// </summary>
    protected bool MustLookAgain(LockAcquisition acquisition, string key, int? releaseStamp) =>
        acquisition.Acquired && (acquisition.Waited || releaseStamp is not { } stamp || Locks.ReleaseStampOf(key) != stamp);

    /// <summary>Counts and logs a wait for the key that timed out.</summary>
    protected void ReportLockTimeout(string key)
    {
        Interlocked.Increment(ref _lockTimeouts);
        InterceptionLog.LockTimedOut(Logger, Keys.Identity, key, Settings.LockTimeout);
    }

    /// <summary>Counts as a hit, and logs, a call that found its key filled by another caller after waiting for it.</summary>
    protected void ReportFilledByOtherCaller(string key)
    {
        Outcomes.RecordHit();
        CallLog.FilledByOtherCaller(Logger, Keys.Identity, key);
    }

    /// <summary>Counts a miss and starts timing the run of the method it causes.</summary>
    protected MethodRun StartRunOnMiss(string key)
    {
        Outcomes.Record(CacheCallOutcome.Miss);
        return Telemetry.StartRun(key);
    }

    /// <summary>Records the end of a run started by <see cref="StartRunOnMiss"/>: its duration, span and log event.</summary>
    protected void EndRunOnMiss(string key, MethodRun run, Exception? error)
    {
        var elapsed = run.Complete(error);
        if (error is null)
        {
            CallLog.MethodRan(Logger, Keys.Identity, key, elapsed);
        }
        else
        {
            CallLog.MethodFailed(Logger, Keys.Identity, key, elapsed, error);
        }
    }

    /// <summary>Counts and logs a result the backend refused to store.</summary>
    protected void ReportRejected(string key, CacheValueRejectedException rejection)
    {
        Interlocked.Increment(ref _rejected);
        InterceptionLog.ValueRejected(Logger, Keys.Identity, key, rejection.Reason, rejection);
    }

    /// <summary>Counts and logs a result larger than its backend's whole byte budget.</summary>
    protected void ReportTooLarge(string key, long maxBytes)
    {
        Interlocked.Increment(ref _tooLarge);
        InterceptionLog.EntryTooLarge(Logger, Keys.Identity, key, maxBytes);
    }

    /// <summary>Builds the key of a call with <paramref name="arguments"/> at <paramref name="version"/> (none: unversioned).</summary>
    protected string KeyOf(long? version, object?[] arguments) => HandleOf(version, arguments).Key;

    /// <summary>As <see cref="KeyOf"/>, returning the key memo's handle of the key (for the hit path's <see cref="LocalBackend"/> read).</summary>
    protected KeyHandle HandleOf(long? version, object?[] arguments) =>
        version is { } current ? Keys.BuildHandle(current, arguments) : Keys.BuildHandle(arguments);

    /// <summary>
    /// Whether the arguments still describe <paramref name="key"/> now that the method has run. The caller or the
    /// method itself may have changed an argument object while the call was in flight; the result then belongs to
    /// neither the old key nor (reliably) the new one, so it is returned but not stored.
    /// </summary>
    protected bool ArgumentsStillMatch(string key, long? version, object?[] arguments)
    {
        string keyAfter;
        try
        {
            keyAfter = KeyOf(version, arguments);
        }
        catch (ArgumentException e)
        {
            keyAfter = e.Message;
        }

        if (string.Equals(key, keyAfter, StringComparison.Ordinal))
        {
            return true;
        }

        Interlocked.Increment(ref _argumentsChanged);
        InterceptionLog.ArgumentsChanged(Logger, Keys.Identity, key, keyAfter);
        return false;
    }

    /// <summary>The call's <see cref="CancellationToken"/> argument (the first, when there are several), or none.</summary>
    protected CancellationToken CancellationOf(object?[] arguments) =>
        _cancellationIndex < 0 ? CancellationToken.None : (CancellationToken)arguments[_cancellationIndex]!;

    /// <summary>
    /// Returns the key a call with <paramref name="arguments"/> uses now, or <see langword="null"/> when the method is
    /// versioned or tagged and has no version yet (so nothing of it is cached).
    /// </summary>
    public async ValueTask<string?> CurrentKeyAsync(object?[] arguments, CancellationToken cancellationToken)
    {
        if (Version is null)
        {
            return Keys.Build(arguments);
        }

        var version = await Version.ReadAsync(arguments, cancellationToken).ConfigureAwait(false);
        return version.TryGetValue(out var current) ? Keys.Build(current, arguments) : null;
    }

    /// <summary>Drops the entry of the call with <paramref name="arguments"/>; returns whether one was there.</summary>
    public async ValueTask<bool> InvalidateAsync(object?[] arguments, CancellationToken cancellationToken)
    {
        var key = await CurrentKeyAsync(arguments, cancellationToken).ConfigureAwait(false);
        return key is not null && await Backend.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops every entry of the method by renewing its version.</summary>
    /// <exception cref="InvalidOperationException">The method is not versioned.</exception>
    public ValueTask InvalidateAllAsync(CancellationToken cancellationToken)
    {
        if (_methodVersion is null)
        {
            throw new InvalidOperationException(
                $"{Keys.Identity} is not versioned, so its entries cannot be dropped all at once. Mark it [Cached(Versioned = true)] " +
                "(one extra backend read per call), or drop single calls with InvalidateAsync.");
        }

        return _methodVersion.RenewAsync(cancellationToken);
    }
}
