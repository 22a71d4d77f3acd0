using Cacheweave.Backends.Lfu;

namespace Cacheweave.Backends;

/// <summary>
/// An in-memory backend bounded by a number of entries that evicts the least frequently used entry, and among
/// equally used entries the one used least recently. Entries written with a time to live also expire.
/// </summary>
/// <remarks>
/// This is in-cache LFU with O(1) frequency buckets: a new entry starts with a count of 1, each hit adds 1,
/// and a write to a live key keeps its count and adds 1. Counts do not survive eviction or removal: a key that
/// comes back starts again at 1. (A count-keeping "perfect" LFU would need memory for every key ever seen.)
/// </remarks>
public sealed class LfuBackend : InMemoryBackend
{
    /// <summary>Creates an LFU backend.</summary>
    /// <param name="capacity">The most entries held; at least 1.</param>
    /// <param name="timeProvider">The clock for per-entry times to live; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public LfuBackend(int capacity, TimeProvider? timeProvider = null)
        : base(capacity, null, timeProvider, static _ => new LfuPolicy())
    {
    }

    /// <summary>Creates an LFU backend with the limits of <paramref name="options"/>: a capacity, a byte budget or both.</summary>
    /// <param name="options">The limits and settings.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="options"/> sets neither <see cref="InMemoryBackendOptions.Capacity"/> nor
    /// <see cref="InMemoryBackendOptions.MaxBytes"/>, or sets a sizer without a byte budget.
    /// </exception>
    public LfuBackend(InMemoryBackendOptions options)
        : base(InMemoryBackendOptions.ValidateBounded(options, nameof(LfuBackend)), static _ => new LfuPolicy())
    {
    }
}
