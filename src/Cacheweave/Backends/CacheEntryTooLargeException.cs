namespace Cacheweave.Backends;

/// <summary>
/// Thrown by an in-memory backend with a byte budget (<see cref="InMemoryBackendOptions.MaxBytes"/>) when an entry
/// is larger than the whole budget, so that no eviction could make room for it. Nothing was stored, and an earlier
/// value of the key was removed, so that a read never returns the value the failed write meant to replace.
/// </summary>
/// <remarks>
/// Cached proxies do not let it reach their callers: a result too large for its backend is returned uncached, and the
/// skip is logged and counted.
/// </remarks>
public sealed class CacheEntryTooLargeException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public CacheEntryTooLargeException()
        : this("The cache entry is larger than the backend's byte budget.")
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    /// <param name="message">What was refused and why.</param>
    public CacheEntryTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">What was refused and why.</param>
    /// <param name="innerException">The cause.</param>
    public CacheEntryTooLargeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for the entry of <paramref name="key"/>.</summary>
    /// <param name="key">The key whose entry was refused.</param>
    /// <param name="size">The entry's size.</param>
    /// <param name="maxBytes">The backend's byte budget when the entry was refused.</param>
    public CacheEntryTooLargeException(string key, long size, long maxBytes)
        : base($"The cache entry '{key}' has a size of {size:N0}, more than the backend's whole byte budget of {maxBytes:N0}; it was not stored.")
    {
        Key = key;
        Size = size;
        MaxBytes = maxBytes;
    }

    /// <summary>The key whose entry was refused, when known.</summary>
    public string? Key { get; }

    /// <summary>The size of the refused entry.</summary>
    public long Size { get; }

    /// <summary>The backend's byte budget when the entry was refused.</summary>
    public long MaxBytes { get; }
}
