using Cacheweave.Backends.Engine;

namespace Cacheweave.Backends.Expiry;

/// <summary>
/// Every entry with a time to live, kept in one <see cref="ExpiryList"/> per distinct lifetime, and the lists in a
/// binary min-heap ordered by their first entry. Entries of one lifetime expire in write order, so each list stays
/// sorted by appending; the heap then only has to order the lists. The order is that of
/// <see cref="ExpiringCacheEntry.QueuedAt"/>, which only changes under the lock; sliding hits move an entry's real
/// expiry without the lock, and the queue catches up lazily when the entry reaches the front.
/// </summary>
/// <remarks>
/// Finding the next entry to expire is O(1). Adding or removing an entry is O(1) when its list already exists and
/// its head does not change (the common case: a handful of lifetimes, one per cached method or configured default),
/// and O(log k) otherwise, for k distinct lifetimes in use. Jittered lifetimes, where nearly every entry has its
/// own, therefore cost O(log n) rather than a scan. Not thread-safe; the backend's lock guards it.
/// </remarks>
internal sealed class ExpiryQueue
{
    private readonly Dictionary<long, ExpiryList> _byLifetime = [];
    private ExpiryList[] _heap = new ExpiryList[8];
    private int _heapCount;
    private long _nextSequence;

    internal int Count { get; private set; }

    internal void Add(ExpiringCacheEntry entry)
    {
        entry.Sequence = _nextSequence++;
        entry.IsQueued = true;
        Count++;
        if (_byLifetime.TryGetValue(entry.Lifetime, out var list))
        {
            var head = list.First;
            list.Add(entry);
            if (!ReferenceEquals(head, list.First))
            {
                SiftUp(list.Slot);
            }

            return;
        }

        list = new ExpiryList(entry.Lifetime);
        list.Add(entry);
        _byLifetime.Add(entry.Lifetime, list);
        if (_heapCount == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }

        Place(list, _heapCount++);
        SiftUp(list.Slot);
    }

    internal void Remove(ExpiringCacheEntry entry)
    {
        if (!entry.IsQueued)
        {
            return;
        }

        var list = _byLifetime[entry.Lifetime];
        var wasHead = ReferenceEquals(list.First, entry);
        list.Remove(entry);
        entry.IsQueued = false;
        Count--;
        if (list.IsEmpty)
        {
            Drop(list);
        }
        else if (wasHead)
        {
            // The new head expires no earlier than the old one, so the list can only move down.
            SiftDown(list.Slot);
        }
    }

    /// <summary>
    /// The entry that expires first; ties go to the one written first. Entries at the front that sliding hits have
    /// pushed forward are re-filed first (at most <see cref="Count"/> of them, so hits racing on every entry cannot keep
    /// it looping).
    /// </summary>
    internal ExpiringCacheEntry? PeekSoonest()
    {
        for (var refiled = 0; _heapCount > 0; refiled++)
        {
            var head = _heap[0].First!;
            if (refiled >= Count || !head.HasSlid)
            {
                return head;
            }

            Refile(head);
        }

        return null;
    }

    /// <summary>
    /// Takes every entry expired at <paramref name="now"/> out of the queue and appends it to <paramref name="expired"/>.
    /// An entry due by its filed expiry but pushed past <paramref name="now"/> by sliding hits is re-filed instead.
    /// </summary>
    internal void DequeueExpired(long now, List<ExpiringCacheEntry> expired)
    {
        while (_heapCount > 0 && _heap[0].First is { } head && head.QueuedAt <= now)
        {
            if (Volatile.Read(ref head.ExpiresAt) > now)
            {
                Refile(head);
                continue;
            }

            Remove(head);
            expired.Add(head);
        }
    }

    // A re-filed entry lands at its real expiry, later than 'now' for every caller, so each is re-filed at most once
    // per pass; the cost is paid once per lifetime of hits rather than once per hit.
    private void Refile(ExpiringCacheEntry entry)
    {
        Remove(entry);
        entry.QueuedAt = Volatile.Read(ref entry.ExpiresAt);
        Add(entry);
    }

    internal void Clear()
    {
        _byLifetime.Clear();
        Array.Clear(_heap, 0, _heapCount);
        _heapCount = 0;
        Count = 0;
    }

    private static bool Earlier(ExpiryList left, ExpiryList right)
    {
        var a = left.First!;
        var b = right.First!;
        return a.QueuedAt < b.QueuedAt || (a.QueuedAt == b.QueuedAt && a.Sequence < b.Sequence);
    }

    private void Drop(ExpiryList list)
    {
        _byLifetime.Remove(list.Lifetime);
        var slot = list.Slot;
        var last = _heap[--_heapCount];
        _heap[_heapCount] = null!;
        if (slot == _heapCount)
        {
            return;
        }

        Place(last, slot);
        SiftDown(slot);
        SiftUp(last.Slot);
    }

    private void Place(ExpiryList list, int slot)
    {
        _heap[slot] = list;
        list.Slot = slot;
    }

    private void SiftUp(int slot)
    {
        var list = _heap[slot];
        while (slot > 0)
        {
            var parentSlot = (slot - 1) / 2;
            var parent = _heap[parentSlot];
            if (!Earlier(list, parent))
            {
                break;
            }

            Place(parent, slot);
            slot = parentSlot;
        }

        Place(list, slot);
    }

    private void SiftDown(int slot)
    {
        var list = _heap[slot];
        while (true)
        {
            var child = (2 * slot) + 1;
            if (child >= _heapCount)
            {
                break;
            }

            if (child + 1 < _heapCount && Earlier(_heap[child + 1], _heap[child]))
            {
                child++;
            }

            if (!Earlier(_heap[child], list))
            {
                break;
            }

            Place(_heap[child], slot);
            slot = child;
        }

        Place(list, slot);
    }
}
