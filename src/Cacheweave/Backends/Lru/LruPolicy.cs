using Cacheweave.Backends.Engine;

namespace Cacheweave.Backends.Lru;

/// <summary>Least recently used: a hit or a write moves the entry to the front; the back is evicted.</summary>
internal sealed class LruPolicy : EvictionPolicy
{
    private readonly EntryList _order = new();

    internal override bool TracksAccess => true;

    internal override void OnAdded(CacheEntry entry) => _order.AddFirst(entry);

    internal override void OnReplaced(CacheEntry previous, CacheEntry replacement)
    {
        _order.Remove(previous);
        _order.AddFirst(replacement);
    }

    internal override void OnAccessed(CacheEntry entry) => _order.MoveToFirst(entry);

    internal override void OnRemoved(CacheEntry entry) => _order.Remove(entry);

    internal override void OnSwapped(CacheEntry previous, CacheEntry replacement) => _order.Replace(previous, replacement);

    internal override bool TryListInEvictionOrder(List<CacheEntry> entries)
    {
        _order.AppendBackToFront(entries);
        return true;
    }

    internal override CacheEntry? SelectVictim() => _order.Last;

    internal override void Clear() => _order.Clear();
}
