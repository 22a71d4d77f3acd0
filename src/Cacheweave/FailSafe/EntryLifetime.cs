namespace Cacheweave.FailSafe;

/// <summary>
/// The lifetime rules of an entry stored as a <see cref="CacheEnvelope{T}"/>, read once from <c>[Cached]</c> or from
/// <see cref="Backends.GetOrCreateOptions"/>: how long it is fresh, how long it may be served stale, and how long a
/// caller waits for the method.
/// </summary>
internal sealed class EntryLifetime
{
    /// <summary>The logical time to live; <see langword="null"/>: fresh until the backend drops it.</summary>
    public TimeSpan? TimeToLive { get; init; }

    /// <summary>The logical time to live of a cached null; <see langword="null"/>: the same as other values.</summary>
    public TimeSpan? NullTimeToLive { get; init; }

    /// <summary>Whether null results are stored.</summary>
    public bool CacheNulls { get; init; } = true;

    /// <summary>How long past its logical expiry a value may be served when the method fails; zero: not at all.</summary>
    public TimeSpan FailSafe { get; init; }

    /// <summary>After a failure, how long the stale value is served without running the method again; zero: run on every call.</summary>
    public TimeSpan FailSafeThrottle { get; init; }

    /// <summary>The fraction of the lifetime after which a hit starts a background refresh; 0: never.</summary>
    public double EagerRefresh { get; init; }

    /// <summary>How long a caller with a stale value waits for the method; <see cref="Timeout.InfiniteTimeSpan"/>: no limit.</summary>
    public TimeSpan SoftTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>How long any caller waits for the method; <see cref="Timeout.InfiniteTimeSpan"/>: no limit.</summary>
    public TimeSpan HardTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>The most random extra lifetime added to each entry; zero: none.</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>How long a caller waits for another caller of the same key; <see cref="Timeout.InfiniteTimeSpan"/>: no limit.</summary>
    public TimeSpan LockTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>Whether a caller ever stops waiting for the method.</summary>
    public bool HasTimeouts => SoftTimeout != Timeout.InfiniteTimeSpan || HardTimeout != Timeout.InfiniteTimeSpan;

    /// <summary>
    /// Checks the rules together and returns what is wrong, in the words of <paramref name="names"/> (the attribute's
    /// property names or the options'), or <see langword="null"/>.
    /// </summary>
    public string? FindProblem(EntryLifetimeNames names)
    {
        if (TimeToLive is null && (FailSafe > TimeSpan.Zero || EagerRefresh > 0 || Jitter > TimeSpan.Zero))
        {
            return $"{names.FailSafe}, {names.EagerRefresh} and {names.Jitter} need a time to live; set {names.TimeToLive}";
        }

        if (FailSafeThrottle > TimeSpan.Zero && FailSafe <= TimeSpan.Zero)
        {
            return $"{names.FailSafeThrottle} throttles fail-safe, which is off; set {names.FailSafe} too";
        }

        if (SoftTimeout != Timeout.InfiniteTimeSpan && FailSafe <= TimeSpan.Zero)
        {
            return $"{names.SoftTimeout} returns a stale value, and only {names.FailSafe} keeps one; set {names.FailSafe} too";
        }

        if (SoftTimeout != Timeout.InfiniteTimeSpan && HardTimeout != Timeout.InfiniteTimeSpan && SoftTimeout >= HardTimeout)
        {
            return $"{names.SoftTimeout} must be shorter than {names.HardTimeout}";
        }

        if (NullTimeToLive is not null && !CacheNulls)
        {
            return $"{names.NullTimeToLive} is a lifetime for cached nulls, but nulls are not cached";
        }

        return null;
    }
}
