namespace Cacheweave.FailSafe;

/// <summary>
/// How an entry of a method that uses fail-safe, eager refresh, timeouts, jitter, <c>Unless</c> or a null lifetime is
/// stored: the value with its logical lifetime. The backend's own expiry is the physical lifetime (the logical one plus
/// the fail-safe window), so every backend and tier keeps both instants without knowing about them.
/// </summary>
/// <remarks>
/// The envelope goes through the backend's serializer like any other value (checked at registration, fingerprinted
/// and read with the untrusted-data rules); the instants are UTC ticks of the writer's <see cref="TimeProvider"/>.
/// Users do not create envelopes; the type is public so that serializers can create it from stored bytes.
/// </remarks>
/// <typeparam name="T">The cached value's type.</typeparam>
public sealed class CacheEnvelope<T>
{
    /// <summary>Creates an envelope.</summary>
    /// <param name="value">The cached value (a cached <see langword="null"/> is allowed).</param>
    /// <param name="createdAtTicks">When the value was produced, in UTC ticks.</param>
    /// <param name="expiresAtTicks">The end of the logical lifetime, in UTC ticks.</param>
    /// <param name="retryAfterTicks">After a failure: the value is served without running the method until this instant (UTC ticks); 0 otherwise.</param>
    public CacheEnvelope(T value, long createdAtTicks, long expiresAtTicks, long retryAfterTicks)
    {
        Value = value;
        CreatedAtTicks = createdAtTicks;
        ExpiresAtTicks = expiresAtTicks;
        RetryAfterTicks = retryAfterTicks;
    }

    /// <summary>The cached value.</summary>
    public T Value { get; }

    /// <summary>When the value was produced, in UTC ticks.</summary>
    public long CreatedAtTicks { get; }

    /// <summary>The end of the logical lifetime, in UTC ticks: after it the method runs again.</summary>
    public long ExpiresAtTicks { get; }

    /// <summary>After a failed run: until this instant (UTC ticks) the stale value is served without running the method; 0 when no failure throttles the entry.</summary>
    public long RetryAfterTicks { get; }
}
