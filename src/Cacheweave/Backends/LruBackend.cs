namespace Cacheweave.Backends;

/// <summary>
/// An in-memory backend bounded by a number of entries that evicts the least recently used entry (a hit or
/// a write counts as a use). Entries written with a time to live also expire.
/// </summary>
/// <remarks>
/// For a single thread the order is exact LRU (it reproduces published LRU hit ratios to the request).
/// Under concurrent readers, recency is recorded through lossy buffers, so a hit that races with a full
/// buffer may not refresh its entry: the same trade BitFaster.Caching and Caffeine make.
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
}
