using Cacheweave.Backends.Engine;

namespace Cacheweave.Backends.Expiry;

/// <summary>
/// The TTL backend's capacity rule: when full, evict the entry that would expire soonest. Reads change
/// nothing, so no access is recorded.
/// </summary>
internal sealed class ExpiryOrderPolicy : EvictionPolicy
{
    private readonly ExpiryQueue _expiry;

    internal ExpiryOrderPolicy(ExpiryQueue expiry) => _expiry = expiry;

    internal override bool TracksAccess => false;

    internal override void OnAdded(CacheEntry entry)
    {
    }

    internal override void OnReplaced(CacheEntry previous, CacheEntry replacement)
    {
    }

    internal override void OnAccessed(CacheEntry entry)
    {
    }

    internal override void OnRemoved(CacheEntry entry)
    {
    }

    internal override void OnSwapped(CacheEntry previous, CacheEntry replacement)
    {
    }

    internal override CacheEntry? SelectVictim() => _expiry.PeekSoonest();

    internal override void Clear()
    {
    }
}
