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

    /// <summary>The entry to evict next, or <see langword="null"/> when the policy holds none.</summary>
    internal abstract CacheEntry? SelectVictim();

    internal abstract void Clear();
}
