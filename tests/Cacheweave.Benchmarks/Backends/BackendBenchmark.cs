using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BitFaster.Caching.Lfu;
using BitFaster.Caching.Lru;
using Cacheweave.Backends;
using Cacheweave.Benchmarks.Infrastructure;
using Microsoft.Extensions.Caching.Memory;

namespace Cacheweave.Benchmarks.Backends;

/// <summary>
/// What every backend benchmark shares: the capacity parameter, pre-built keys, and one setup per cache so
/// that a benchmark case builds (and fills) only the cache it measures. A derived class names its benchmark
/// methods after <see cref="CacheKind"/> (plus <c>GetAsync</c> for the async read of a Cacheweave backend),
/// which is how the setups below find their targets.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
public abstract class BackendBenchmark
{
    /// <summary>Operations per benchmark invocation: enough that the call into the benchmark is noise.</summary>
    protected const int Batch = 1024;

    private const string GetAsync = "GetAsync";

    private CacheUnderTest? _cache;
    private int _cursor;
    private int _cursorLength = 1;

    /// <summary>The most entries each cache holds; the caches start full.</summary>
    [ParamsSource(nameof(CapacityValues))]
    public int Capacity { get; set; }

    /// <summary>The capacities to measure: <see cref="Capacities"/>, or the small one of the smoke variant.</summary>
    public IEnumerable<int> CapacityValues => BenchmarkProfile.Smoke ? [BenchmarkProfile.SmokeCapacity] : Capacities;

    /// <summary>The capacities measured: 1,000 and 1,000,000 (1,000 only in the quick variant).</summary>
    protected virtual IEnumerable<int> Capacities => BenchmarkProfile.Quick ? [1_000] : [1_000, 1_000_000];

    /// <summary>The keys the cache holds after setup (the first <see cref="Capacity"/> of <see cref="AllKeys"/>).</summary>
    protected ArraySegment<string> ResidentKeys => new(AllKeys, 0, Capacity);

    /// <summary>Every pre-built key: the resident ones, then any extra a derived class asked for with <see cref="KeyCount"/>.</summary>
    protected string[] AllKeys { get; private set; } = [];

    /// <summary>How many keys to build; more than <see cref="Capacity"/> when a benchmark writes new keys.</summary>
    protected virtual int KeyCount => Capacity;

    /// <summary>The cache of the current case.</summary>
    protected CacheUnderTest Cache => _cache ?? throw new InvalidOperationException("The benchmark's global setup has not run.");

    private protected CacheweaveAdapter Cacheweave => new((InMemoryBackend)Cache.Cache);

    private protected CacheweaveAsyncAdapter CacheweaveAsync => new((InMemoryBackend)Cache.Cache);

    private protected ConcurrentLruAdapter BitFasterLru => new((ConcurrentLru<string, BenchmarkValue>)Cache.Cache);

    private protected ConcurrentTLruAdapter BitFasterTLru => new((ConcurrentTLru<string, BenchmarkValue>)Cache.Cache);

    private protected ConcurrentLfuAdapter BitFasterLfu => new((ConcurrentLfu<string, BenchmarkValue>)Cache.Cache);

    private protected MemoryCacheAdapter ExtensionsMemoryCache => new((MemoryCache)Cache.Cache);

    [GlobalSetup(Targets = [nameof(CacheKind.CacheweaveLru), nameof(CacheKind.CacheweaveLru) + GetAsync])]
    public void SetupCacheweaveLru() => Setup(CacheKind.CacheweaveLru);

    [GlobalSetup(Targets = [nameof(CacheKind.CacheweaveLfu), nameof(CacheKind.CacheweaveLfu) + GetAsync])]
    public void SetupCacheweaveLfu() => Setup(CacheKind.CacheweaveLfu);

    [GlobalSetup(Targets = [nameof(CacheKind.CacheweaveTtl), nameof(CacheKind.CacheweaveTtl) + GetAsync])]
    public void SetupCacheweaveTtl() => Setup(CacheKind.CacheweaveTtl);

    [GlobalSetup(Targets = [nameof(CacheKind.CacheweaveLruTtl), nameof(CacheKind.CacheweaveLruTtl) + GetAsync])]
    public void SetupCacheweaveLruTtl() => Setup(CacheKind.CacheweaveLruTtl);

    [GlobalSetup(Targets = [nameof(CacheKind.CacheweaveTinyLfu), nameof(CacheKind.CacheweaveTinyLfu) + GetAsync])]
    public void SetupCacheweaveTinyLfu() => Setup(CacheKind.CacheweaveTinyLfu);

    [GlobalSetup(Target = nameof(CacheKind.ConcurrentLru))]
    public void SetupConcurrentLru() => Setup(CacheKind.ConcurrentLru);

    [GlobalSetup(Target = nameof(CacheKind.ConcurrentTLru))]
    public void SetupConcurrentTLru() => Setup(CacheKind.ConcurrentTLru);

    [GlobalSetup(Target = nameof(CacheKind.ConcurrentLfu))]
    public void SetupConcurrentLfu() => Setup(CacheKind.ConcurrentLfu);

    [GlobalSetup(Target = nameof(CacheKind.MemoryCache))]
    public void SetupMemoryCache() => Setup(CacheKind.MemoryCache);

    [GlobalCleanup]
    public void Cleanup()
    {
        _cache?.Dispose();
        _cache = null;
        AllKeys = [];
        OnCleanup();
    }

    /// <summary>Builds and fills the cache of <paramref name="kind"/>; public so that a smoke test can drive it.</summary>
    public void Setup(CacheKind kind) => Setup(capacity => CacheUnderTest.Create(kind, capacity));

    /// <summary>Builds the cache with <paramref name="create"/> (given the capacity) and fills it.</summary>
    protected void Setup(Func<int, CacheUnderTest> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        AllKeys = BenchmarkKeys.Create(KeyCount);
        _cache = create(Capacity);
        CacheWorkloads.FillAndVerify(_cache, ResidentKeys);
        _cursor = 0;
        _cursorLength = OnSetup();
    }

    /// <summary>Prepares what the derived benchmark reads; returns the length its cursor wraps at (see <see cref="Advance"/>).</summary>
    protected abstract int OnSetup();

    /// <summary>Releases what <see cref="OnSetup"/> built.</summary>
    protected virtual void OnCleanup()
    {
    }

    /// <summary>Returns the current position and moves it on by <paramref name="count"/>, wrapping at the length <see cref="OnSetup"/> returned.</summary>
    protected int Advance(int count)
    {
        var start = _cursor;
        _cursor = (start + count) % _cursorLength;
        return start;
    }
}
