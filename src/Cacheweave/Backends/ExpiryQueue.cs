namespace Cacheweave.Backends;

/// <summary>
/// Every entry with a time to live, kept in one <see cref="ExpiryList"/> per distinct lifetime. Adding and
/// removing are O(1); finding the next entry to expire is O(k) for k distinct lifetimes in use, which is a
/// handful in practice (one per cached method or per configured default). Removing expired entries costs
/// O(k) plus O(1) per entry removed, so a sweep is amortized O(1) per entry. Not thread-safe; the backend's
/// lock guards it.
/// </summary>
internal sealed class ExpiryQueue
{
    private readonly Dictionary<long, ExpiryList> _byLifetime = [];
    private readonly List<ExpiryList> _lists = [];
    private long _nextSequence;

    internal int Count { get; private set; }

    internal void Add(ExpiringCacheEntry entry)
    {
        if (!_byLifetime.TryGetValue(entry.Lifetime, out var list))
        {
            list = new ExpiryList(entry.Lifetime) { Slot = _lists.Count };
            _byLifetime.Add(entry.Lifetime, list);
            _lists.Add(list);
        }

        entry.Sequence = _nextSequence++;
        entry.IsQueued = true;
        list.Add(entry);
        Count++;
    }

    internal void Remove(ExpiringCacheEntry entry)
    {
        if (!entry.IsQueued)
        {
            return;
        }

        var list = _byLifetime[entry.Lifetime];
        list.Remove(entry);
        entry.IsQueued = false;
        Count--;
        if (list.IsEmpty)
        {
            Drop(list);
        }
    }

    /// <summary>The entry that expires first; ties go to the one written first.</summary>
    internal ExpiringCacheEntry? PeekSoonest()
    {
        ExpiringCacheEntry? soonest = null;
        foreach (var list in _lists)
        {
            var candidate = list.First!;
            if (soonest is null
                || candidate.ExpiresAt < soonest.ExpiresAt
                || (candidate.ExpiresAt == soonest.ExpiresAt && candidate.Sequence < soonest.Sequence))
            {
                soonest = candidate;
            }
        }

        return soonest;
    }

    /// <summary>Takes every entry expired at <paramref name="now"/> out of the queue and appends it to <paramref name="expired"/>.</summary>
    internal void DequeueExpired(long now, List<ExpiringCacheEntry> expired)
    {
        for (var i = _lists.Count - 1; i >= 0; i--)
        {
            var list = _lists[i];
            while (list.First is { } head && head.ExpiresAt <= now)
            {
                list.Remove(head);
                head.IsQueued = false;
                Count--;
                expired.Add(head);
            }

            if (list.IsEmpty)
            {
                Drop(list);
            }
        }
    }

    internal void Clear()
    {
        _byLifetime.Clear();
        _lists.Clear();
        Count = 0;
    }

    private void Drop(ExpiryList list)
    {
        // Swap-remove keeps removal O(1); DequeueExpired walks backwards so the swap never skips a list.
        var lastIndex = _lists.Count - 1;
        var last = _lists[lastIndex];
        _lists[list.Slot] = last;
        last.Slot = list.Slot;
        _lists.RemoveAt(lastIndex);
        _byLifetime.Remove(list.Lifetime);
    }
}
