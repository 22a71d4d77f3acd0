using Cacheweave.FailSafe;
using Microsoft.Extensions.Logging;

namespace Cacheweave.Backends;

/// <summary>
/// The options of <see cref="CacheBackendGetOrCreateExtensions.GetOrCreateAsync{T}"/>: the same lifetime knobs as
/// <c>[Cached]</c>. Immutable once built; share one instance between calls.
/// </summary>
/// <remarks>Invalid combinations (for example <see cref="FailSafe"/> without <see cref="TimeToLive"/>) fail on the first call with an <see cref="ArgumentException"/> naming the setting.</remarks>
public sealed class GetOrCreateOptions
{
    private EntryLifetime? _lifetime;

    /// <summary>The logical time to live; <see langword="null"/>, the default, keeps the entry fresh until the backend drops it.</summary>
    public TimeSpan? TimeToLive { get; init; }

    /// <summary>The time to live of a cached <see langword="null"/>; <see langword="null"/>, the default, is <see cref="TimeToLive"/>.</summary>
    public TimeSpan? NullTimeToLive { get; init; }

    /// <summary>Whether a <see langword="null"/> result is stored. Default <see langword="true"/>.</summary>
    public bool CacheNulls { get; init; } = true;

    /// <summary>How long past its time to live a value may be served when the factory throws or times out. Zero, the default, is off.</summary>
    public TimeSpan FailSafe { get; init; }

    /// <summary>After fail-safe served a stale value, how long it keeps being served without calling the factory. Zero, the default, is off.</summary>
    public TimeSpan FailSafeThrottle { get; init; }

    /// <summary>The fraction of the time to live (strictly between 0 and 1) after which a hit starts one background refresh per key. 0, the default, is off.</summary>
    public double EagerRefresh { get; init; }

    /// <summary>With a stale value at hand, how long a caller waits for the factory before taking the stale value. <see langword="null"/>, the default, waits.</summary>
    public TimeSpan? SoftTimeout { get; init; }

    /// <summary>The longest a caller waits for the factory: then the stale value, or a <see cref="TimeoutException"/>. <see langword="null"/>, the default, waits.</summary>
    public TimeSpan? HardTimeout { get; init; }

    /// <summary>The most random extra lifetime given to each entry. Zero, the default, is off.</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>Says which results are not stored (they are still returned); <see langword="null"/>, the default, stores all.</summary>
    public Func<object?, bool>? Unless { get; init; }

    /// <summary>The clock of lifetimes and timeouts; <see langword="null"/>, the default, is <see cref="System.TimeProvider.System"/>.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Where fail-safe activations and background failures are logged; <see langword="null"/>, the default, logs nothing.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The rules these options describe, checked once.</summary>
    internal EntryLifetime Lifetime => _lifetime ??= Build();

    private EntryLifetime Build()
    {
        CheckPositive(TimeToLive, nameof(TimeToLive));
        CheckPositive(NullTimeToLive, nameof(NullTimeToLive));
        CheckPositive(SoftTimeout, nameof(SoftTimeout));
        CheckPositive(HardTimeout, nameof(HardTimeout));
        CheckNotNegative(FailSafe, nameof(FailSafe));
        CheckNotNegative(FailSafeThrottle, nameof(FailSafeThrottle));
        CheckNotNegative(Jitter, nameof(Jitter));
        if (EagerRefresh != 0 && !(EagerRefresh > 0 && EagerRefresh < 1))
        {
            throw new ArgumentException($"EagerRefresh = {EagerRefresh} is not a fraction strictly between 0 and 1 (or 0 for off).", nameof(EagerRefresh));
        }

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

        return lifetime.FindProblem(EntryLifetimeNames.Options) is { } problem
            ? throw new ArgumentException($"The GetOrCreateOptions cannot be honoured: {problem}.", nameof(GetOrCreateOptions))
            : lifetime;
    }

    private static void CheckPositive(TimeSpan? value, string name)
    {
        if (value is { } span && (span <= TimeSpan.Zero || span > TimeSpan.MaxValue / 4))
        {
            throw new ArgumentOutOfRangeException(name, span, $"{name} must be greater than zero, or null.");
        }
    }

    private static void CheckNotNegative(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero || value > TimeSpan.MaxValue / 4)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative.");
        }
    }
}
