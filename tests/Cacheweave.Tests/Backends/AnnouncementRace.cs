namespace Cacheweave.Tests.Backends;

/// <summary>The races <see cref="RemovalAnnouncementConcurrencyTests"/> runs; in each, the threads also read.</summary>
public enum AnnouncementRace
{
    /// <summary>Two threads write and remove one key.</summary>
    WritesAndRemovalsOnOneKey,

    /// <summary>Three threads write and remove three keys in a backend that holds one, so most writes evict.</summary>
    WritesAndEvictionsAtCapacityOne,

    /// <summary>Three threads write and remove four keys in a backend that holds two.</summary>
    WritesAndEvictionsAtCapacityTwo,

    /// <summary>Three threads write, remove and now and then clear, on two keys.</summary>
    WritesAndClears,

    /// <summary>Three threads write with and without a time to live, remove and move the clock, on two keys.</summary>
    WritesAndExpiry,
}
