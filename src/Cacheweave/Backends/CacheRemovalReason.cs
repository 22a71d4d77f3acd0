namespace Cacheweave.Backends;

/// <summary>Why an entry left a cache.</summary>
public enum CacheRemovalReason
{
    /// <summary>The capacity was reached and the policy chose this entry to make room.</summary>
    Evicted,

    /// <summary>The entry's time to live ran out.</summary>
    Expired,

    /// <summary>The entry was removed by a call to remove it.</summary>
    Removed,

    /// <summary>A new value was written under the same key.</summary>
    Replaced,

    /// <summary>The whole cache was cleared.</summary>
    Cleared,
}
