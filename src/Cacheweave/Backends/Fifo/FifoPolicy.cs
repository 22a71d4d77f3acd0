using Cacheweave.Backends.Engine;

namespace Cacheweave.Backends.Fifo;

/// <summary>
/// First in, first out: entries leave in the order they were inserted. Reads change nothing, and replacing a value
/// keeps its entry's place, so no access is recorded and eviction order is exactly insertion order.
/// </summary>
internal sealed class FifoPolicy : EvictionPolicy
{
    private readonly EntryList _order = new();

    internal override bool TracksAccess => false;

    internal override void OnAdded(CacheEntry entry) => _order.AddFirst(entry);

    internal override void OnReplaced(CacheEntry previous, CacheEntry replacement) => _order.Replace(previous, replacement);

    internal override void OnAccessed(CacheEntry entry)
    {
    }

    internal override void OnRemoved(CacheEntry entry) => _order.Remove(entry);

    internal override CacheEntry? SelectVictim() => _order.Last;

    internal override void Clear() => _order.Clear();
}
