namespace Cacheweave.Tiers;

/// <summary>What became of an invalidation (a removal of one key) in a tiered or fault-tolerant backend.</summary>
public enum CacheInvalidationResult
{
    /// <summary>Every tier answered and none held an entry for the key.</summary>
    NotFound = 0,

    /// <summary>Every tier answered and at least one held an entry, which is gone.</summary>
    Removed = 1,

    /// <summary>
    /// The shared tier could not be reached (timeout, connection error, open circuit). The local copy is gone and the
    /// removal is remembered: it is replayed to the shared tier, and announced to the other processes, as soon as the
    /// tier answers again. Until then this process treats the key as a miss in the shared tier.
    /// </summary>
    Pending = 2,
}
