namespace Cacheweave.Backends.Engine;

/// <summary>
/// Removals gathered under the backend's lock, to be announced after it is released. Stays empty (and
/// allocates nothing) when nobody listens.
/// </summary>
internal struct RemovalBatch
{
    private readonly bool _collect;
    private List<(string Key, object? Value, CacheRemovalReason Reason)>? _items;

    internal RemovalBatch(bool collect) => _collect = collect;

    internal readonly bool IsEmpty => _items is null;

    internal void Add(string key, object? value, CacheRemovalReason reason)
    {
        if (_collect)
        {
            (_items ??= []).Add((key, value, reason));
        }
    }

    internal readonly void Raise(object sender, EventHandler<CacheEntryRemovedEventArgs>? handlers)
    {
        if (_items is null || handlers is null)
        {
            return;
        }

        var invocationList = handlers.GetInvocationList();
        foreach (var (key, value, reason) in _items)
        {
            var args = new CacheEntryRemovedEventArgs(key, value, reason);
            foreach (var handler in invocationList)
            {
                try
                {
                    ((EventHandler<CacheEntryRemovedEventArgs>)handler)(sender, args);
                }
#pragma warning disable CA1031 // A listener's failure must not break the cache operation that raised the event.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }
        }
    }
}
