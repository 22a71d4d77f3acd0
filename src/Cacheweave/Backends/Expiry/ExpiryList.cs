using Cacheweave.Backends.Engine;

namespace Cacheweave.Backends.Expiry;

/// <summary>
/// Entries that share one time to live, in the order of the expiry they are filed under
/// (<see cref="ExpiringCacheEntry.QueuedAt"/>). Because each is written with the same lifetime and time only moves
/// forward, appending at the back keeps the list sorted, so the front is always the next to expire.
/// </summary>
internal sealed class ExpiryList
{
    internal ExpiryList(long lifetime) => Lifetime = lifetime;

    internal long Lifetime { get; }

    /// <summary>Position in <see cref="ExpiryQueue"/>'s heap of lists.</summary>
    internal int Slot { get; set; }

    internal ExpiringCacheEntry? First { get; private set; }

    internal ExpiringCacheEntry? Last { get; private set; }

    internal bool IsEmpty => First is null;

    internal void Add(ExpiringCacheEntry entry)
    {
        // Walk back over entries filed later (possible only if the clock was read out of order, or for an entry re-filed
        // after sliding hits or a time-to-live change, which lands near the back).
        var after = Last;
        while (after is not null && after.QueuedAt > entry.QueuedAt)
        {
            after = after.ExpiryPrev;
        }

        entry.ExpiryPrev = after;
        entry.ExpiryNext = after is null ? First : after.ExpiryNext;
        if (after is null)
        {
            First = entry;
        }
        else
        {
            after.ExpiryNext = entry;
        }

        if (entry.ExpiryNext is null)
        {
            Last = entry;
        }
        else
        {
            entry.ExpiryNext.ExpiryPrev = entry;
        }
    }

    internal void Remove(ExpiringCacheEntry entry)
    {
        if (entry.ExpiryPrev is null)
        {
            First = entry.ExpiryNext;
        }
        else
        {
            entry.ExpiryPrev.ExpiryNext = entry.ExpiryNext;
        }

        if (entry.ExpiryNext is null)
        {
            Last = entry.ExpiryPrev;
        }
        else
        {
            entry.ExpiryNext.ExpiryPrev = entry.ExpiryPrev;
        }

        entry.ExpiryPrev = null;
        entry.ExpiryNext = null;
    }
}
