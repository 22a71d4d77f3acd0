namespace Cacheweave.Tiers;

/// <summary>
/// A message on an <see cref="ICacheInvalidationChannel"/>: drop the local copy of one key, or of every key.
/// </summary>
public readonly record struct CacheInvalidation
{
    private CacheInvalidation(string? key) => Key = key;

    /// <summary>An invalidation of every key: a peer cleared the cache, or invalidations may have been missed.</summary>
    public static CacheInvalidation All => default;

    /// <summary>The key to drop, or <see langword="null"/> when every key must be dropped.</summary>
    public string? Key { get; }

    /// <summary><see langword="true"/> when every key must be dropped.</summary>
    public bool IsAll => Key is null;

    /// <summary>Creates an invalidation of one key.</summary>
    /// <param name="key">The key; not null or empty.</param>
    /// <returns>The invalidation.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    public static CacheInvalidation ForKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return new CacheInvalidation(key);
    }

    /// <inheritdoc />
    public override string ToString() => Key is null ? "all keys" : $"key '{Key}'";
}
