using Cacheweave.Backends.Lru;

namespace Cacheweave.Backends;

/// <summary>
/// An in-memory backend bounded by a number of entries that evicts the least recently used entry (a hit or
/// a write counts as a use). Entries written with a time to live also expire.
/// </summary>
/// <remarks>
/// Hits are recorded per thread without a lock and replayed into the order before the next write. For calls from one
/// thread the order is exact LRU (it reproduces published LRU hit ratios to the request). Hits made on different
/// threads since the last write are all replayed, but grouped by thread rather than interleaved in time, and under
/// contention a hit that meets a full buffer while another thread holds the lock is not recorded: the trade
/// BitFaster.Caching and Caffeine also make for lock-free reads. The least recently used entry is therefore exact
/// up to the order of hits in that short window.
/// </remarks>
public sealed class LruBackend : InMemoryBackend
{
    /// <summary>Creates an LRU backend.</summary>
    /// <param name="capacity">The most entries held; at least 1.</param>
    /// <param name="timeProvider">The clock for per-entry times to live; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public LruBackend(int capacity, TimeProvider? timeProvider = null)
        : base(capacity, null, timeProvider, static _ => new LruPolicy())
    {
    }

    /// <summary>Creates an LRU backend with the limits of <paramref name="options"/>: a capacity, a byte budget or both.</summary>
    /// <param name="options">The limits and settings.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="options"/> sets neither <see cref="InMemoryBackendOptions.Capacity"/> nor
    /// <see cref="InMemoryBackendOptions.MaxBytes"/>, or sets a sizer without a byte budget.
    /// </exception>
    public LruBackend(InMemoryBackendOptions options)
        : base(InMemoryBackendOptions.ValidateBounded(options, nameof(LruBackend)), static _ => new LruPolicy())
    {
    }
}
