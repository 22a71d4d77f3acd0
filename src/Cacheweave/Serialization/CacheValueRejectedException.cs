namespace Cacheweave.Serialization;

/// <summary>
/// Thrown by a serializing tier when a value cannot be stored faithfully: it is larger than the tier's limit, nested
/// deeper than the serialization guard allows (or cyclic), of a runtime type that would not come back as itself, or
/// not serializable at all. Nothing was written.
/// </summary>
/// <remarks>
/// This is a property of the value, not a fault of the tier: resilience decorators let it through without counting
/// a failure, and cached proxies catch it, return the method's result to the caller uncached and log a warning.
/// </remarks>
public sealed class CacheValueRejectedException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public CacheValueRejectedException()
        : this("The value cannot be stored by this cache tier.")
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    /// <param name="message">What was rejected and why.</param>
    public CacheValueRejectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">What was rejected and why.</param>
    /// <param name="innerException">The serializer's own exception.</param>
    public CacheValueRejectedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for the value of <paramref name="key"/>.</summary>
    /// <param name="key">The key whose value was rejected.</param>
    /// <param name="reason">Why the value was rejected.</param>
    /// <param name="message">What was rejected and why.</param>
    /// <param name="innerException">The serializer's own exception, if any.</param>
    public CacheValueRejectedException(string key, CacheValueRejectionReason reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Key = key;
        Reason = reason;
    }

    /// <summary>The key whose value was rejected, when known.</summary>
    public string? Key { get; }

    /// <summary>Why the value was rejected.</summary>
    public CacheValueRejectionReason Reason { get; }
}
