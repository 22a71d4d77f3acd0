namespace Cacheweave.Backends.Snapshots;

/// <summary>
/// A snapshot given to <see cref="InMemoryBackend.LoadAsync"/> is truncated, corrupt, not a Cacheweave snapshot, or of a
/// version this build cannot read. Nothing was loaded: the backend is as it was before the call.
/// </summary>
public sealed class CacheSnapshotException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public CacheSnapshotException()
        : base("The cache snapshot cannot be read.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong with the snapshot.</param>
    public CacheSnapshotException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong with the snapshot.</param>
    /// <param name="innerException">The failure that revealed it.</param>
    public CacheSnapshotException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
