using Cacheweave.Interception;

namespace Cacheweave.FaultNode;

/// <summary>The cached service: the current version of a key. Cached without expiry, so a stale copy would live forever.</summary>
public interface IVersionSource
{
    [Cached]
    Task<long> GetVersionAsync(string key);

    /// <summary>
    /// An unrelated lookup, called with a new argument every time: it always misses L1 and goes to Redis (a read, then a
    /// write), as a service under real traffic does, so that a fault is noticed by the tier while it lasts.
    /// </summary>
    [Cached(TtlSeconds = 60)]
    Task<long> EchoAsync(long value);
}
