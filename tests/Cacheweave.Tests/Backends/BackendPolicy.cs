namespace Cacheweave.Tests.Backends;

/// <summary>The in-memory backends, for tests that pin one behaviour on each of them.</summary>
public enum BackendPolicy
{
    Lru,
    Lfu,
    Ttl,
    LruTtl,
    Fifo,
}
