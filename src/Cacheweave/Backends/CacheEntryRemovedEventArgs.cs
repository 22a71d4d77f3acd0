namespace Cacheweave.Backends;

/// <summary>Describes an entry that left an in-memory backend.</summary>
public sealed class CacheEntryRemovedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="key">The key of the entry.</param>
    /// <param name="value">The value the entry held.</param>
    /// <param name="reason">Why the entry left.</param>
    public CacheEntryRemovedEventArgs(string key, object? value, CacheRemovalReason reason)
    {
        Key = key;
        Value = value;
        Reason = reason;
    }

    /// <summary>The key of the entry.</summary>
    public string Key { get; }

    /// <summary>The value the entry held.</summary>
    public object? Value { get; }

    /// <summary>Why the entry left.</summary>
    public CacheRemovalReason Reason { get; }
}
