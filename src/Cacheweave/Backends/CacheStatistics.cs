namespace Cacheweave.Backends;

/// <summary>A snapshot of an in-memory backend's counters.</summary>
/// <param name="Hits">Reads that found a live entry.</param>
/// <param name="Misses">Reads that found nothing live.</param>
/// <param name="Evictions">Entries removed to make room.</param>
/// <param name="Expirations">Entries removed because their time to live ran out.</param>
/// <param name="Count">Entries held when the snapshot was taken.</param>
public readonly record struct CacheStatistics(long Hits, long Misses, long Evictions, long Expirations, long Count)
{
    /// <summary>Hits divided by reads, or 0 before the first read.</summary>
    public double HitRatio => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);

    /// <summary>
    /// The sum of the sizes of the entries held when the snapshot was taken, never more than <see cref="MaxBytes"/>;
    /// 0 for a backend without a byte budget (it does not size its entries).
    /// </summary>
    public long Bytes { get; init; }

    /// <summary>The byte budget when the snapshot was taken, or <see langword="null"/> for a backend without one.</summary>
    public long? MaxBytes { get; init; }
}
