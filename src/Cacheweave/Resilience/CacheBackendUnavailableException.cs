namespace Cacheweave.Resilience;

/// <summary>
/// Thrown by <see cref="ResilientCacheBackend.CountAsync"/> when the wrapped tier cannot answer: its circuit is
/// open, the call timed out, or it failed. Reads and writes never throw it; they degrade instead.
/// </summary>
public sealed class CacheBackendUnavailableException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public CacheBackendUnavailableException()
        : base("The cache backend is unavailable.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What could not be done.</param>
    public CacheBackendUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What could not be done.</param>
    /// <param name="innerException">The failure of the tier, if there was one.</param>
    public CacheBackendUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
