namespace Cacheweave.Benchmarks.Infrastructure;

/// <summary>Every cache the lab compares: Cacheweave's in-memory backends and the alternatives.</summary>
public enum CacheKind
{
    /// <summary>Cacheweave <c>LruBackend</c>.</summary>
    CacheweaveLru,

    /// <summary>Cacheweave <c>LfuBackend</c>.</summary>
    CacheweaveLfu,

    /// <summary>Cacheweave <c>TtlBackend</c> with a capacity and a long time to live.</summary>
    CacheweaveTtl,

    /// <summary>Cacheweave <c>LruTtlBackend</c> with a long time to live.</summary>
    CacheweaveLruTtl,

    /// <summary>Cacheweave <c>TinyLfuBackend</c> (W-TinyLFU with a window tuned by miniature simulation).</summary>
    CacheweaveTinyLfu,

    /// <summary>BitFaster.Caching <c>ConcurrentLru</c>.</summary>
    ConcurrentLru,

    /// <summary>BitFaster.Caching <c>ConcurrentTLru</c> with a long time to live.</summary>
    ConcurrentTLru,

    /// <summary>BitFaster.Caching <c>ConcurrentLfu</c> (W-TinyLFU).</summary>
    ConcurrentLfu,

    /// <summary>Microsoft.Extensions.Caching.Memory <c>MemoryCache</c> with a size limit.</summary>
    MemoryCache,
}
