using Cacheweave.Backends.Lfu;

namespace Cacheweave.Backends;

/// <summary>
/// An in-memory backend bounded by a number of entries that keeps the entries most likely to be used again, by
/// W-TinyLFU: a small LRU admission window in front of a segmented LRU main region, with a compact frequency
/// history deciding which of the window's oldest entry and the main region's victim stays. Entries written with a
/// time to live also expire. This is the backend <c>AddCacheweave()</c> uses unless told otherwise.
/// </summary>
/// <remarks>
/// <para>
/// The frequency history is a count-min sketch of 4-bit counters, about 8 bytes per entry of capacity, allocated
/// up front. It counts uses of keys that are no longer cached too, so a key that
/// keeps coming back gets in, while a scan of keys used once passes through the window without displacing the
/// main region. Counts are halved every ten times the capacity in uses, so old popularity fades.
/// </para>
/// <para>
/// The window starts at 1% of the capacity and is resized at run time: one key in 16 is also played through seven
/// miniature key-only caches with windows from one entry to 99% of their capacity, and every ten times the capacity
/// in requests the window moves one step towards a size that clearly did better on the same requests (about 11
/// more bytes per entry of capacity, at most 350 KB). Workloads that favour recency get a larger window, workloads
/// that favour frequency a smaller one. Hits are recorded without a lock and replayed into the policy in batches, as in
/// <see cref="LruBackend"/>; a hit completes synchronously and allocates nothing.
/// </para>
/// </remarks>
public sealed class TinyLfuBackend : InMemoryBackend
{
    /// <summary>Creates a W-TinyLFU backend.</summary>
    /// <param name="capacity">The most entries held; at least 1.</param>
    /// <param name="timeProvider">The clock for per-entry times to live; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public TinyLfuBackend(int capacity, TimeProvider? timeProvider = null)
        : base(capacity, null, timeProvider, _ => new TinyLfuPolicy(capacity))
    {
    }
}
