namespace Cacheweave.Serialization;

/// <summary>
/// A backend whose values leave the process as bytes (a shared tier such as Redis), or a decorator in front of one.
/// Cached proxies check each cached method's result type against <see cref="ValueSerializer"/> when the proxy's
/// plan is built, so that a type that would not come back as itself fails at registration, not on a read.
/// </summary>
public interface ISerializingCacheBackend
{
    /// <summary>The serializer values go through, or <see langword="null"/> when none does (a decorator over an in-memory tier).</summary>
    ICacheValueSerializer? ValueSerializer { get; }
}
