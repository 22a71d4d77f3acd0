namespace Cacheweave.Backends.Engine;

/// <summary>
/// One stored value and the links that place it in its eviction policy's order. The links only change under the
/// owning backend's lock. A write over a live entry of the same kind swaps the value in place; for an expiring entry
/// it first pushes the expiry forward (see <see cref="ExpiringCacheEntry.Slide"/>), so a lock-free reader never
/// sees the new value under the old expiry. A write that changes the kind of entry (a time to live added or dropped,
/// another lifetime, a size) makes a new entry under the lock.
/// </summary>
internal class CacheEntry
{
    /// <summary>
    /// What <see cref="Value"/> holds once the entry has left its backend. Removal takes the value out with an
    /// atomic exchange, and an in-place swap only succeeds by a compare-and-swap against a value that is not this
    /// marker, so whichever of the two gets to the value first owns it: a value is announced by exactly one of them.
    /// </summary>
    internal static readonly object Detached = new();

    internal readonly string Key;

    // Changed only atomically: swapped in place by a write over a live entry without a time to live, and set to
    // Detached when the entry leaves the backend.
    internal object? Value;

    // Links in the policy's order (LRU list, LFU bucket). Changed only under the backend's lock.
    internal CacheEntry? Prev;
    internal CacheEntry? Next;

    // LFU: the slot of the bucket of the entry's use count; TinyLFU keeps the key's hash code and its segment here instead;
    // unused by other policies.
    internal int Frequency;

    // What the entry counts against its backend's byte budget; 0 in a backend without one. Set before the entry is
    // published and never changed: a write of another size makes a new entry under the lock. Stored in 32 bits (the
    // backend refuses larger sizes), which with no separate removed flag keeps an entry at 56 bytes on 64-bit.
    private int _size;

    internal long Size
    {
        get => _size;
        set => _size = checked((int)value);
    }

    /// <summary>
    /// Whether the entry has left the map (it was detached under the lock), so that a late access record for it is ignored.
    /// </summary>
    internal bool IsRemoved => ReferenceEquals(Volatile.Read(ref Value), Detached);

    internal CacheEntry(string key, object? value)
    {
        Key = key;
        Value = value;
    }

    /// <summary>
    /// Marks the entry as gone and takes its value out, for the removal announcement. Call under the backend's lock,
    /// after the entry has left the map, so that a reader who meets <see cref="Detached"/> finds the map changed
    /// when it looks again.
    /// </summary>
    internal object? Detach()
    {
        return Interlocked.Exchange(ref Value, Detached);
    }

    /// <summary>
    /// Swaps <paramref name="value"/> in for the current value, unless the entry has left its backend.
    /// </summary>
    /// <param name="value">The new value.</param>
    /// <param name="previous">The value replaced, which the caller now owns (and announces).</param>
    /// <returns><see langword="false"/> when the entry was detached first; the write must then make a new entry.</returns>
    internal bool TrySwapValue(object? value, out object? previous)
    {
        previous = Volatile.Read(ref Value);
        while (!ReferenceEquals(previous, Detached))
        {
            var seen = Interlocked.CompareExchange(ref Value, value, previous);
            if (ReferenceEquals(seen, previous))
            {
                return true;
            }

            previous = seen;
        }

        previous = null;
        return false;
    }
}
