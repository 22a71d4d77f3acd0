using Cacheweave.FailSafe;
using Microsoft.Extensions.Logging;

namespace Cacheweave.Backends;

/// <summary>
/// The options of <see cref="CacheBackendGetOrCreateExtensions.GetOrCreateAsync{T}"/>: the same lifetime knobs as
/// <c>[Cached]</c>. Immutable once built; share one instance between calls.
/// </summary>
/// <remarks>
/// A value out of range fails when it is set (<see cref="ArgumentOutOfRangeException"/> naming the property); settings that
/// do not work together (for example <see cref="FailSafe"/> without <see cref="TimeToLive"/>) fail on the first call with
/// an <see cref="ArgumentException"/> for its <c>options</c> parameter, naming the settings.
/// </remarks>
public sealed class GetOrCreateOptions
{
    private readonly TimeSpan? _timeToLive;
    private readonly TimeSpan? _nullTimeToLive;
    private readonly TimeSpan _failSafe;
    private readonly TimeSpan _failSafeThrottle;
    private readonly double _eagerRefresh;
    private readonly TimeSpan? _softTimeout;
    private readonly TimeSpan? _hardTimeout;
    private readonly TimeSpan _jitter;
    private (EntryLifetime? Lifetime, string? Problem)? _checked;

    /// <summary>The logical time to live; <see langword="null"/>, the default, keeps the entry fresh until the backend drops it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? TimeToLive { get => _timeToLive; init => _timeToLive = Positive(value, nameof(TimeToLive)); }

    /// <summary>The time to live of a cached <see langword="null"/>; <see langword="null"/>, the default, is <see cref="TimeToLive"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? NullTimeToLive { get => _nullTimeToLive; init => _nullTimeToLive = Positive(value, nameof(NullTimeToLive)); }

    /// <summary>Whether a <see langword="null"/> result is stored. Default <see langword="true"/>.</summary>
    public bool CacheNulls { get; init; } = true;

    /// <summary>How long past its time to live a value may be served when the factory throws or times out. Zero, the default, is off.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan FailSafe { get => _failSafe; init => _failSafe = NotNegative(value, nameof(FailSafe)); }

    /// <summary>After fail-safe served a stale value, how long it keeps being served without calling the factory. Zero, the default, is off.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan FailSafeThrottle { get => _failSafeThrottle; init => _failSafeThrottle = NotNegative(value, nameof(FailSafeThrottle)); }

    /// <summary>The fraction of the time to live (strictly between 0 and 1) after which a hit starts one background refresh per key. 0, the default, is off.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is neither 0 nor strictly between 0 and 1.</exception>
    public double EagerRefresh
    {
        get => _eagerRefresh;
        init => _eagerRefresh = value == 0 || (value > 0 && value < 1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(EagerRefresh), value, "EagerRefresh is a fraction strictly between 0 and 1, or 0 for off.");
    }

    /// <summary>With a stale value at hand, how long a caller waits for the factory before taking the stale value. <see langword="null"/>, the default, waits.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? SoftTimeout { get => _softTimeout; init => _softTimeout = Positive(value, nameof(SoftTimeout)); }

    /// <summary>The longest a caller waits for the factory: then the stale value, or a <see cref="TimeoutException"/>. <see langword="null"/>, the default, waits.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? HardTimeout { get => _hardTimeout; init => _hardTimeout = Positive(value, nameof(HardTimeout)); }

    /// <summary>The most random extra lifetime given to each entry. Zero, the default, is off.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan Jitter { get => _jitter; init => _jitter = NotNegative(value, nameof(Jitter)); }

    /// <summary>Says which results are not stored (they are still returned); <see langword="null"/>, the default, stores all.</summary>
    public Func<object?, bool>? Unless { get; init; }

    /// <summary>The clock of lifetimes and timeouts; <see langword="null"/>, the default, is <see cref="System.TimeProvider.System"/>.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Where fail-safe activations and background failures are logged; <see langword="null"/>, the default, logs nothing.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The rules these options describe, checked together once; <see langword="null"/> and the problem when they do not work together.</summary>
    internal EntryLifetime? CheckedLifetime(out string? problem)
    {
        var (lifetime, found) = _checked ??= Check();
        problem = found;
        return lifetime;
    }

    private (EntryLifetime?, string?) Check()
    {
        var lifetime = new EntryLifetime
        {
            TimeToLive = TimeToLive,
            NullTimeToLive = NullTimeToLive,
            CacheNulls = CacheNulls,
            FailSafe = FailSafe,
            FailSafeThrottle = FailSafeThrottle,
            EagerRefresh = EagerRefresh,
            SoftTimeout = SoftTimeout ?? Timeout.InfiniteTimeSpan,
            HardTimeout = HardTimeout ?? Timeout.InfiniteTimeSpan,
            Jitter = Jitter,
        };

        return lifetime.FindProblem(EntryLifetimeNames.Options) is { } problem ? (null, problem) : (lifetime, null);
    }

    private static TimeSpan? Positive(TimeSpan? value, string name) =>
        value is not { } span || (span > TimeSpan.Zero && span <= TimeSpan.MaxValue / 4)
            ? value
            : throw new ArgumentOutOfRangeException(name, span, $"{name} must be greater than zero, or null.");

    private static TimeSpan NotNegative(TimeSpan value, string name) =>
        value >= TimeSpan.Zero && value <= TimeSpan.MaxValue / 4
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative.");
}
