namespace Cacheweave.Backends;

/// <summary>Options for one cache entry, given to <see cref="ICacheBackend.PutAsync{T}"/>.</summary>
/// <remarks>Instances are immutable once built; share them freely, for example one per cached method.</remarks>
public sealed class CacheEntryOptions
{
    private readonly TimeSpan? _timeToLive;

    // Not readonly: WithSize sets it on a copy.
    private long? _size;

    /// <summary>Options that take every default of the backend.</summary>
    public static CacheEntryOptions Default { get; } = new();

    /// <summary>
    /// How long the entry lives after it is written; <see langword="null"/> takes the backend's default
    /// (which for capacity-only backends is "until evicted").
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? TimeToLive
    {
        get => _timeToLive;
        init
        {
            if (value is { } ttl && ttl <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(TimeToLive), ttl, "A time to live must be greater than zero.");
            }

            _timeToLive = value;
        }
    }

    /// <summary>
    /// Whether each hit pushes the entry's expiry forward by <see cref="TimeToLive"/>, so that an entry read at least
    /// once per time to live never expires; writes of other keys and misses do not push it. Requires a
    /// <see cref="TimeToLive"/>: a backend given sliding options without one throws <see cref="ArgumentException"/>.
    /// Changing the entry's time to live afterwards (<see cref="ICacheBackend.SetTimeToLiveAsync"/>,
    /// <see cref="ICacheBackend.ExpireAtAsync"/>) ends the sliding.
    /// </summary>
    public bool Sliding { get; init; }

    /// <summary>Throws when <paramref name="options"/> ask for a sliding expiry without a time to live.</summary>
    /// <exception cref="ArgumentException">The options are sliding and have no <see cref="TimeToLive"/>.</exception>
    internal static void ThrowIfSlidingWithoutTimeToLive(CacheEntryOptions? options, string paramName)
    {
        if (options is { Sliding: true, TimeToLive: null })
        {
            throw new ArgumentException("A sliding expiry needs a TimeToLive: the amount each hit pushes the expiry forward.", paramName);
        }
    }

    /// <summary>
    /// What the entry counts against the byte budget of an in-memory backend created with
    /// <see cref="InMemoryBackendOptions.MaxBytes"/>; <see langword="null"/> lets the backend's
    /// <see cref="InMemoryBackendOptions.Sizer"/> decide. Backends without a byte budget, and shared tiers such as
    /// Redis, ignore it. Cached proxies set it themselves (the length of the result's serialized form) when their
    /// backend needs it. An in-memory backend refuses a size above <see cref="int.MaxValue"/> with an
    /// <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long? Size
    {
        get => _size;
        init
        {
            if (value is < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(Size), value, "An entry's size cannot be negative.");
            }

            _size = value;
        }
    }

    /// <summary>Creates options with a time to live given in seconds (fractions allowed).</summary>
    /// <param name="seconds">The time to live in seconds; greater than zero.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seconds"/> is zero, negative or not a finite number.</exception>
    public static CacheEntryOptions FromSeconds(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "A time to live must be a finite number of seconds greater than zero.");
        }

        return new CacheEntryOptions { TimeToLive = TimeSpan.FromSeconds(seconds) };
    }

    /// <summary>A copy of these options (every other option kept) with <see cref="Size"/> set to <paramref name="size"/>.</summary>
    internal CacheEntryOptions WithSize(long size)
    {
        var copy = (CacheEntryOptions)MemberwiseClone();
        copy._size = size;
        return copy;
    }
}
