namespace Cacheweave.Backends;

/// <summary>
/// One stored value and the links that place it in its eviction policy's order. The links only change under the
/// owning backend's lock. A value without a time to live may be swapped in place; an expiring entry is never changed,
/// a replacement gets a new entry, so a lock-free reader always sees a value and expiry that belong together.
/// </summary>
internal class CacheEntry
{
    internal readonly string Key;

    // Swapped in place (atomically) only by a write over a live entry without a time to live.
    internal object? Value;

    // Links in the policy's order (LRU list, LFU bucket). Changed only under the backend's lock.
    internal CacheEntry? Prev;
    internal CacheEntry? Next;

    // LFU use count; unused by other policies.
    internal int Frequency;

    // Set under the lock when the entry leaves the map, so a late access record for it is ignored.
    internal bool IsRemoved;

    internal CacheEntry(string key, object? value)
    {
        Key = key;
        Value = value;
    }
}
