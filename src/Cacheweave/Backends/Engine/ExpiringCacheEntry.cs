namespace Cacheweave.Backends.Engine;

/// <summary>
/// An entry with a time to live. Kept apart from <see cref="CacheEntry"/> so that entries without one do not
/// pay for the expiry fields (the per-entry overhead is measured against BitFaster's).
/// </summary>
internal sealed class ExpiringCacheEntry : CacheEntry
{
    /// <summary>The <see cref="TimeProvider.GetTimestamp"/> value at and after which the entry is dead.</summary>
    internal readonly long ExpiresAt;

    /// <summary>The time to live in timestamp ticks; entries sharing it share one expiry list.</summary>
    internal readonly long Lifetime;

    /// <summary>Write order, used to break ties between entries that expire at the same tick.</summary>
    internal long Sequence;

    internal ExpiringCacheEntry? ExpiryPrev;
    internal ExpiringCacheEntry? ExpiryNext;
    internal bool IsQueued;

    internal ExpiringCacheEntry(string key, object? value, long expiresAt, long lifetime)
        : base(key, value)
    {
        ExpiresAt = expiresAt;
        Lifetime = lifetime;
    }
}
