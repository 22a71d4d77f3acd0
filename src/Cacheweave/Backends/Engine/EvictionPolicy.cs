namespace Cacheweave.Backends.Engine;

/// <summary>
/// Decides which entry leaves when a bounded backend is full. Every member runs under the backend's lock,
/// never on the lock-free read path: reads only record an access, and the backend replays the recorded
/// accesses into <see cref="OnAccessed"/> in batches. That is why a virtual call per policy step costs
/// nothing that shows on a cache hit.
/// </summary>
internal abstract class EvictionPolicy
{
    /// <summary>Whether reads must be recorded and replayed into <see cref="OnAccessed"/>.</summary>
    internal abstract bool TracksAccess { get; }

    internal abstract void OnAdded(CacheEntry entry);

    internal abstract void OnReplaced(CacheEntry previous, CacheEntry replacement);

    internal abstract void OnAccessed(CacheEntry entry);

    internal abstract void OnRemoved(CacheEntry entry);

    /// <summary>
    /// <paramref name="replacement"/> takes the place of <paramref name="previous"/> (same key and value, a new expiry)
    /// without counting as a use: same position, same frequency. Policies that can do so override this; the default
    /// treats it as a replacing write, which counts as a use.
    /// </summary>
    internal virtual void OnSwapped(CacheEntry previous, CacheEntry replacement) => OnReplaced(previous, replacement);

    /// <summary>
    /// Appends every entry to <paramref name="entries"/>, the next to be evicted first, for a snapshot that restores the
    /// order by adding them back in that order. Returns <see langword="false"/> (appending nothing) when the policy's
    /// order cannot be restored that way.
    /// </summary>
    internal virtual bool TryListInEvictionOrder(List<CacheEntry> entries) => false;

    /// <summary>The entry to evict next, or <see langword="null"/> when the policy holds none.</summary>
    internal abstract CacheEntry? SelectVictim();

    internal abstract void Clear();
}
