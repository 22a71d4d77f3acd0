using BenchmarkDotNet.Attributes;
using Cacheweave.Backends;
using Cacheweave.Tiers;
using Castle.DynamicProxy;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace Cacheweave.Benchmarks.Interception;

/// <summary>
/// The whole cached call on a hit, for a three-argument lookup: the direct call (no cache), a Castle proxy that
/// only proceeds (the floor any interceptor pays), Cacheweave's <c>[Cached]</c> proxy in each return shape, and
/// FusionCache and HybridCache with the key built by hand as a user would. <see cref="DistinctCalls"/> is how many
/// different argument sets the calls cycle through (all cached): 1 repeats one call; 1,024 makes each call's key
/// differ from the last ones. Results are read synchronously (every hit completes synchronously).
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("cached-call")]
public class CachedCallBenchmarks
{
    private static readonly string[] Regions = ["eu-west", "eu-north", "us-east", "ap-south"];

    // Called through the interface, as callers of the proxies are.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "The direct call must use interface dispatch like the proxied calls.")]
    private readonly IOrderService _direct = new OrderService();
    private ServiceProvider? _services;
    private ServiceProvider? _twoLevelServices;
    private IOrderService _cacheweave = null!;
    private IOrderService _cacheweaveTwoLevel = null!;
    private IOrderService _passThrough = null!;
    private FusionCache? _fusion;
    private HybridCache _hybrid = null!;
    private int[] _customers = [];
    private string[] _regions = [];
    private Guid[] _ids = [];
    private int _next;

    /// <summary>How many different argument sets the calls cycle through.</summary>
    [Params(1, 1024, 100_000)]
    public int DistinctCalls { get; set; }

    /// <summary>The caches and argument sets with every cache filled (the <c>compare</c> mode's setup).</summary>
    public void Setup()
    {
        Build();
        for (var i = 0; i < DistinctCalls; i++)
        {
            CacheweaveTask();
            CacheweaveTaggedTask();
            CacheweaveValueTask();
            CacheweaveSync();
            CacheweaveTaskFailSafe();
            CacheweaveTwoLevelTask();
            FusionCacheGetOrSetAsync();
            HybridCacheGetOrCreateAsync();
        }
    }

    [GlobalSetup(Targets = [nameof(DirectTask), nameof(DirectValueTask), nameof(DirectSync), nameof(PassThroughProxyTask), nameof(PassThroughProxyValueTask), nameof(PassThroughProxySync)])]
    public void SetupUncached() => Build();

    [GlobalSetup(Target = nameof(CacheweaveTask))]
    public void SetupCacheweaveTask() => BuildAndSettle(CacheweaveTask);

    [GlobalSetup(Target = nameof(CacheweaveTaggedTask))]
    public void SetupCacheweaveTaggedTask() => BuildAndSettle(CacheweaveTaggedTask);

    [GlobalSetup(Target = nameof(CacheweaveValueTask))]
    public void SetupCacheweaveValueTask() => BuildAndSettle(CacheweaveValueTask);

    [GlobalSetup(Target = nameof(CacheweaveSync))]
    public void SetupCacheweaveSync() => BuildAndSettle(CacheweaveSync);

    [GlobalSetup(Target = nameof(CacheweaveTaskFailSafe))]
    public void SetupCacheweaveTaskFailSafe() => BuildAndSettle(CacheweaveTaskFailSafe);

    [GlobalSetup(Target = nameof(CacheweaveTwoLevelTask))]
    public void SetupCacheweaveTwoLevelTask() => BuildAndSettle(CacheweaveTwoLevelTask);

    [GlobalSetup(Target = nameof(FusionCacheGetOrSetAsync))]
    public void SetupFusionCache() => BuildAndSettle(FusionCacheGetOrSetAsync);

    [GlobalSetup(Targets = [nameof(HybridCacheGetOrCreateAsync), nameof(HybridCacheGetOrCreateAsyncWithState)])]
    public void SetupHybridCache() => BuildAndSettle(HybridCacheGetOrCreateAsync);

    [GlobalCleanup]
    public void Cleanup()
    {
        _fusion?.Dispose();
        _services?.Dispose();
        _twoLevelServices?.Dispose();
    }

    [Benchmark]
    public Order DirectTask()
    {
        var i = Next();
        return _direct.GetOrderAsync(_customers[i], _regions[i], _ids[i]).GetAwaiter().GetResult();
    }

    [Benchmark]
    public Order DirectValueTask()
    {
        var i = Next();
        return Completed(_direct.GetOrderValueAsync(_customers[i], _regions[i], _ids[i]));
    }

    [Benchmark]
    public Order DirectSync()
    {
        var i = Next();
        return _direct.GetOrder(_customers[i], _regions[i], _ids[i]);
    }

    [Benchmark]
    public Order PassThroughProxyTask()
    {
        var i = Next();
        return _passThrough.GetOrderAsync(_customers[i], _regions[i], _ids[i]).GetAwaiter().GetResult();
    }

    [Benchmark]
    public Order PassThroughProxyValueTask()
    {
        var i = Next();
        return Completed(_passThrough.GetOrderValueAsync(_customers[i], _regions[i], _ids[i]));
    }

    [Benchmark]
    public Order PassThroughProxySync()
    {
        var i = Next();
        return _passThrough.GetOrder(_customers[i], _regions[i], _ids[i]);
    }

    [Benchmark]
    public Order CacheweaveTask()
    {
        var i = Next();
        return _cacheweave.GetOrderAsync(_customers[i], _regions[i], _ids[i]).GetAwaiter().GetResult();
    }

    /// <summary>As <see cref="CacheweaveTask"/>, with <c>Tags = { "region:{region}" }</c>: the tag is formatted and its version read on every call.</summary>
    [Benchmark]
    public Order CacheweaveTaggedTask()
    {
        var i = Next();
        return _cacheweave.GetTaggedOrderAsync(_customers[i], _regions[i], _ids[i]).GetAwaiter().GetResult();
    }

    [Benchmark]
    public Order CacheweaveValueTask()
    {
        var i = Next();
        return Completed(_cacheweave.GetOrderValueAsync(_customers[i], _regions[i], _ids[i]));
    }

    [Benchmark]
    public Order CacheweaveSync()
    {
        var i = Next();
        return _cacheweave.GetOrder(_customers[i], _regions[i], _ids[i]);
    }

    /// <summary>The Task shape with fail-safe and eager refresh on: a hit reads the entry's envelope and the clock.</summary>
    [Benchmark]
    public Order CacheweaveTaskFailSafe()
    {
        var i = Next();
        return _cacheweave.GetOrderFailSafeAsync(_customers[i], _regions[i], _ids[i]).GetAwaiter().GetResult();
    }

    /// <summary>The Task shape over a <see cref="TwoLevelBackend"/> (L1 and L2 both in memory here): the hit of a service that shares a Redis tier.</summary>
    [Benchmark]
    public Order CacheweaveTwoLevelTask()
    {
        var i = Next();
        return _cacheweaveTwoLevel.GetOrderAsync(_customers[i], _regions[i], _ids[i]).GetAwaiter().GetResult();
    }

    /// <summary>FusionCache as its documentation shows it: the key formatted by hand, the factory a lambda over the arguments.</summary>
    [Benchmark(Baseline = true)]
    public Order FusionCacheGetOrSetAsync()
    {
        var i = Next();
        var (customerId, region, id) = (_customers[i], _regions[i], _ids[i]);
        var service = _direct;
        return Completed(_fusion!.GetOrSetAsync<Order>($"order:{customerId}:{region}:{id}", ct => service.GetOrderAsync(customerId, region, id)));
    }

    /// <summary>HybridCache as its documentation shows it first: the key formatted by hand, the factory a lambda over the arguments.</summary>
    [Benchmark]
    public Order HybridCacheGetOrCreateAsync()
    {
        var i = Next();
        var (customerId, region, id) = (_customers[i], _regions[i], _ids[i]);
        var service = _direct;
        return Completed(_hybrid.GetOrCreateAsync($"order:{customerId}:{region}:{id}", async ct => await service.GetOrderAsync(customerId, region, id).ConfigureAwait(false)));
    }

    /// <summary>HybridCache with its allocation-free overload: the arguments passed as state to a static factory.</summary>
    [Benchmark]
    public Order HybridCacheGetOrCreateAsyncWithState()
    {
        var i = Next();
        var state = (Service: _direct, CustomerId: _customers[i], Region: _regions[i], Id: _ids[i]);
        return Completed(_hybrid.GetOrCreateAsync(
            $"order:{state.CustomerId}:{state.Region}:{state.Id}",
            state,
            static async (s, ct) => await s.Service.GetOrderAsync(s.CustomerId, s.Region, s.Id).ConfigureAwait(false)));
    }

    private void Build()
    {
        var random = new Random(3);
        _customers = [.. Enumerable.Range(0, DistinctCalls).Select(i => 1_000 + i)];
        _regions = [.. Enumerable.Range(0, DistinctCalls).Select(i => Regions[i % Regions.Length])];
        _ids = [.. Enumerable.Range(0, DistinctCalls).Select(_ => new Guid(random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 16)))];

        var services = new ServiceCollection();
        // Every measured call must be a hit. The compare mode's Setup fills all six Cacheweave methods into this one
        // backend: with room for only twice the argument sets (as before session 5), the 100,000-set cases evicted most
        // of the measured method's entries and their first pass ran the method.
        var capacity = Math.Max(10_000, 8 * DistinctCalls);
        services.AddCacheweave(cacheweave => cacheweave.UseDefaultBackend(_ => new LruBackend(capacity)));
        services.AddCachedProxy<IOrderService, OrderService>();
        services.AddHybridCache(options => options.DefaultEntryOptions = new HybridCacheEntryOptions { Expiration = TimeSpan.FromHours(1), LocalCacheExpiration = TimeSpan.FromHours(1) });
        _services = services.BuildServiceProvider();
        _cacheweave = _services.GetRequiredService<IOrderService>();
        _hybrid = _services.GetRequiredService<HybridCache>();
        // A two-level backend (an LRU in front of another one standing in for Redis): what is measured is its L1 hit.
        var twoLevel = new ServiceCollection();
        twoLevel.AddCacheweave(cacheweave => cacheweave.UseDefaultBackend(_ => new TwoLevelBackend(new LruBackend(capacity), new LruBackend(capacity))));
        twoLevel.AddCachedProxy<IOrderService, OrderService>();
        _twoLevelServices = twoLevel.BuildServiceProvider();
        _cacheweaveTwoLevel = _twoLevelServices.GetRequiredService<IOrderService>();
        _passThrough = new ProxyGenerator().CreateInterfaceProxyWithTarget(_direct, new PassThroughInterceptor());
        _fusion = new FusionCache(new FusionCacheOptions { DefaultEntryOptions = new FusionCacheEntryOptions { Duration = TimeSpan.FromHours(1) } });
    }

    /// <summary>
    /// Fills only the cache <paramref name="call"/> measures and brings it to its steady state before BenchmarkDotNet
    /// starts: three passes over the argument sets (the first fills; the later ones let the key memo settle), then a
    /// blocking, compacting collection of the setup's garbage. Without this, the 100,000-set cases measured the
    /// settling itself: filling every method's cache set the memo's generations turning, the measured method's first
    /// passes re-hashed or promoted its keys, and the setup's garbage was still being collected, so the quick job's
    /// iterations fell from 3.5 to 1.3 µs per call within one run (session 6).
    /// </summary>
    private void BuildAndSettle(Func<Order> call)
    {
        Build();
        for (var pass = 0; pass < 3; pass++)
        {
            for (var i = 0; i < DistinctCalls; i++)
            {
                call();
            }
        }

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    private static Order Completed(ValueTask<Order> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private int Next()
    {
        var i = _next;
        _next = i + 1 == DistinctCalls ? 0 : i + 1;
        return i;
    }
}
