using Cacheweave.Backends.Fifo;

namespace Cacheweave.Backends;

/// <summary>
/// An in-memory backend that evicts in insertion order: when full, the entry inserted longest ago leaves first,
/// whatever has been read since. Entries written with a time to live also expire.
/// </summary>
/// <remarks>
/// <para>
/// Eviction is predictable: reads never change the order, so what leaves next depends only on the writes. Replacing
/// the value of a live key keeps the key's place in the order (it is not a new insertion); a key written again after it
/// was removed, evicted or expired is inserted anew, at the back.
/// </para>
/// <para>
/// With a byte budget, room for a larger replacement is made in the same order before the write; if that order reaches
/// the key being written itself, its old value is evicted and the new one is inserted at the back.
/// </para>
/// </remarks>
public sealed class FifoBackend : InMemoryBackend
{
    /// <summary>Creates a FIFO backend bounded by a number of entries.</summary>
    /// <param name="capacity">The most entries held; at least 1.</param>
    /// <param name="timeProvider">The clock for per-entry times to live; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public FifoBackend(int capacity, TimeProvider? timeProvider = null)
        : base(capacity, null, timeProvider, static _ => new FifoPolicy())
    {
    }

    /// <summary>Creates a FIFO backend with the limits of <paramref name="options"/>: a capacity, a byte budget or both.</summary>
    /// <param name="options">The limits and settings.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="options"/> sets neither <see cref="InMemoryBackendOptions.Capacity"/> nor
    /// <see cref="InMemoryBackendOptions.MaxBytes"/>, or sets a sizer without a byte budget.
    /// </exception>
    public FifoBackend(InMemoryBackendOptions options)
        : base(InMemoryBackendOptions.ValidateBounded(options, nameof(FifoBackend)), static _ => new FifoPolicy())
    {
    }
}
