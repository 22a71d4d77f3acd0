using Cacheweave.Backends.Lru;

namespace Cacheweave.Backends;

/// <summary>
/// An in-memory backend with both rules: entries expire after a time to live (the default given here, or
/// the entry's own), and a full backend evicts the least recently used live entry.
/// </summary>
public sealed class LruTtlBackend : InMemoryBackend
{
    /// <summary>Creates an LRU backend with expiry.</summary>
    /// <param name="capacity">The most entries held; at least 1.</param>
    /// <param name="defaultTtl">The time to live of entries written without one; greater than zero (fractions of a second allowed).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1, or <paramref name="defaultTtl"/> is not positive.</exception>
    public LruTtlBackend(int capacity, TimeSpan defaultTtl, TimeProvider? timeProvider = null)
        : base(capacity, defaultTtl, timeProvider, static _ => new LruPolicy())
    {
    }

    /// <summary>Creates an LRU backend with the settings of <paramref name="options"/>, which must give a default time to live.</summary>
    /// <param name="options">The limits and settings.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="options"/> does not set <see cref="InMemoryBackendOptions.DefaultTimeToLive"/>, or sets neither a capacity nor a byte budget, or sets a sizer
    /// without a byte budget.
    /// </exception>
    public LruTtlBackend(InMemoryBackendOptions options)
        : base(InMemoryBackendOptions.ValidateBounded(InMemoryBackendOptions.ValidateExpiring(options, nameof(LruTtlBackend)), nameof(LruTtlBackend)), static _ => new LruPolicy())
    {
    }
}
