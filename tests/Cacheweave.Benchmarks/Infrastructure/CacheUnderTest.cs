using BitFaster.Caching.Lfu;
using BitFaster.Caching.Lru;
using BitFaster.Caching.Scheduler;
using Cacheweave.Backends;
using Microsoft.Extensions.Caching.Memory;

namespace Cacheweave.Benchmarks.Infrastructure;

/// <summary>One cache of a given <see cref="CacheKind"/> and capacity, with a boxed adapter for code that is not timed per operation.</summary>
public sealed class CacheUnderTest : IDisposable
{
    /// <summary>The time to live given to the expiring caches: long enough that nothing expires during a run.</summary>
    public static readonly TimeSpan LongTimeToLive = TimeSpan.FromHours(1);

    private CacheUnderTest(CacheKind kind, object cache, ICacheAdapter adapter)
    {
        Kind = kind;
        Cache = cache;
        Adapter = adapter;
    }

    /// <summary>Which cache this is.</summary>
    public CacheKind Kind { get; }

    /// <summary>The cache itself; cast it to build a struct adapter for a timed loop.</summary>
    public object Cache { get; }

    /// <summary>A boxed adapter over <see cref="Cache"/> (Cacheweave backends through their synchronous API).</summary>
    public ICacheAdapter Adapter { get; }

    /// <summary>The display name used in tables and charts.</summary>
    public string Name => DisplayName(Kind);

    /// <summary>The display name of <paramref name="kind"/>.</summary>
    public static string DisplayName(CacheKind kind) => kind switch
    {
        CacheKind.CacheweaveLru => "Cacheweave LRU",
        CacheKind.CacheweaveLfu => "Cacheweave LFU",
        CacheKind.CacheweaveTtl => "Cacheweave TTL",
        CacheKind.CacheweaveLruTtl => "Cacheweave LRU+TTL",
        CacheKind.CacheweaveTinyLfu => "Cacheweave TinyLFU",
        CacheKind.ConcurrentLru => "BitFaster ConcurrentLru",
        CacheKind.ConcurrentTLru => "BitFaster ConcurrentTLru",
        CacheKind.ConcurrentLfu => "BitFaster ConcurrentLfu",
        CacheKind.MemoryCache => "MemoryCache",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Creates an empty cache.</summary>
    /// <param name="kind">Which cache.</param>
    /// <param name="capacity">The most entries it holds.</param>
    /// <param name="deterministic">
    /// Run BitFaster's <c>ConcurrentLfu</c> maintenance on the calling thread (a <see cref="ForegroundScheduler"/>)
    /// instead of the thread pool, and hash its keys with <see cref="HitRatio.StableStringComparer"/> instead of the
    /// per-process randomised string hash, so that a replayed trace gives the same result every time.
    /// </param>
    /// <param name="timeProvider">The clock of the Cacheweave backends; <see cref="TimeProvider.System"/> when null.</param>
    public static CacheUnderTest Create(CacheKind kind, int capacity, bool deterministic = false, TimeProvider? timeProvider = null)
    {
        switch (kind)
        {
            case CacheKind.CacheweaveLru:
                return FromBackend(kind, new LruBackend(capacity, timeProvider));
            case CacheKind.CacheweaveLfu:
                return FromBackend(kind, new LfuBackend(capacity, timeProvider));
            case CacheKind.CacheweaveTtl:
                return FromBackend(kind, new TtlBackend(LongTimeToLive, capacity, timeProvider));
            case CacheKind.CacheweaveLruTtl:
                return FromBackend(kind, new LruTtlBackend(capacity, LongTimeToLive, timeProvider));
            case CacheKind.CacheweaveTinyLfu:
                return FromBackend(kind, new TinyLfuBackend(capacity, timeProvider));
            case CacheKind.ConcurrentLru:
                var lru = new ConcurrentLru<string, BenchmarkValue>(capacity);
                return new CacheUnderTest(kind, lru, new ConcurrentLruAdapter(lru));
            case CacheKind.ConcurrentTLru:
                var tlru = new ConcurrentTLru<string, BenchmarkValue>(capacity, LongTimeToLive);
                return new CacheUnderTest(kind, tlru, new ConcurrentTLruAdapter(tlru));
            case CacheKind.ConcurrentLfu:
                var lfu = deterministic
                    ? new ConcurrentLfu<string, BenchmarkValue>(1, capacity, new ForegroundScheduler(), HitRatio.StableStringComparer.Instance)
                    : new ConcurrentLfu<string, BenchmarkValue>(capacity);
                return new CacheUnderTest(kind, lfu, new ConcurrentLfuAdapter(lfu));
            case CacheKind.MemoryCache:
                var memoryCache = new MemoryCache(new MemoryCacheOptions { SizeLimit = capacity });
                return new CacheUnderTest(kind, memoryCache, new MemoryCacheAdapter(memoryCache));
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>
    /// BitFaster's <c>ConcurrentLfu</c> with its maintenance (sketch updates, region moves) run on the calling thread
    /// by a <see cref="ForegroundScheduler"/>, keys hashed as by default: the same policy work per read that a
    /// Cacheweave backend does inline, for comparing the cost of the policy rather than where it runs.
    /// </summary>
    /// <param name="capacity">The most entries it holds.</param>
    public static CacheUnderTest ConcurrentLfuWithForegroundMaintenance(int capacity)
    {
        var lfu = new ConcurrentLfu<string, BenchmarkValue>(1, capacity, new ForegroundScheduler(), EqualityComparer<string>.Default);
        return new CacheUnderTest(CacheKind.ConcurrentLfu, lfu, new ConcurrentLfuAdapter(lfu));
    }

    /// <summary>
    /// Brings the cache to a settled state: BitFaster's <c>ConcurrentLfu</c> replays its buffers, and
    /// <c>MemoryCache</c>'s background work is left to finish.
    /// </summary>
    public void Settle()
    {
        if (Cache is ConcurrentLfu<string, BenchmarkValue> lfu)
        {
            lfu.DoMaintenance();
        }
    }

    /// <summary>The number of entries the cache holds now.</summary>
    public long Count => Cache switch
    {
        InMemoryBackend backend => backend.Count,
        ConcurrentLru<string, BenchmarkValue> lru => lru.Count,
        ConcurrentTLru<string, BenchmarkValue> tlru => tlru.Count,
        ConcurrentLfu<string, BenchmarkValue> lfu => lfu.Count,
        MemoryCache memoryCache => memoryCache.Count,
        _ => throw new InvalidOperationException($"Unknown cache {Cache.GetType()}."),
    };

    /// <inheritdoc />
    public void Dispose()
    {
        if (Cache is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    private static CacheUnderTest FromBackend(CacheKind kind, InMemoryBackend backend) => new(kind, backend, new CacheweaveAdapter(backend));
}
