namespace Cacheweave.Interception;

/// <summary>What the innermost <see cref="CacheScope"/> of the current async flow asks of cached calls.</summary>
internal enum CacheScopeKind
{
    /// <summary>No scope: calls use the cache.</summary>
    None,

    /// <summary>Calls skip the cache: the method runs and nothing is read or written.</summary>
    Bypass,

    /// <summary>Calls run the method and overwrite their entry.</summary>
    Refresh,
}
