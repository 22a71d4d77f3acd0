using Cacheweave.Benchmarks.Infrastructure;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace Cacheweave.Benchmarks.Memory;

/// <summary>
/// Bytes per entry of each cache when it holds many entries: every cache is filled with the same pre-built
/// keys and one shared value object, so what is measured is the cache's own structure (entry objects, map
/// nodes and buckets, policy bookkeeping), not the keys or values.
/// </summary>
public static class MemoryFootprint
{
    /// <summary>The entry count the report uses.</summary>
    public const int DefaultEntries = 1_000_000;

    /// <summary>
    /// Measures every <see cref="CacheKind"/>, then FusionCache and HybridCache (both keep their entries in a
    /// <c>MemoryCache</c> of their own), holding <paramref name="entries"/> entries, one after another on this thread.
    /// </summary>
    public static IReadOnlyList<MemoryFootprintResult> MeasureAll(int entries = DefaultEntries)
    {
        var keys = BenchmarkKeys.Create(entries);
        var results = new List<MemoryFootprintResult>();
        foreach (var kind in Enum.GetValues<CacheKind>())
        {
            results.Add(Measure(
                CacheUnderTest.DisplayName(kind),
                kind,
                keys,
                () =>
                {
                    var cache = CacheUnderTest.Create(kind, keys.Length);
                    return (cache, cache.Adapter.Put, () => cache.Count, cache.Settle);
                }));
        }

        results.Add(Measure("FusionCache", null, keys, () =>
        {
            var fusion = new FusionCache(new FusionCacheOptions { DefaultEntryOptions = new FusionCacheEntryOptions { Duration = TimeSpan.FromHours(1) } });
            return (fusion, (key, value) => fusion.Set(key, value), () => -1, () => { });
        }));
        results.Add(Measure("HybridCache", null, keys, () =>
        {
            var services = new ServiceCollection().AddHybridCache().Services.BuildServiceProvider();
            var hybrid = services.GetRequiredService<HybridCache>();
            var options = new HybridCacheEntryOptions { Expiration = TimeSpan.FromHours(1), LocalCacheExpiration = TimeSpan.FromHours(1) };
            return (services, (key, value) => hybrid.SetAsync(key, value, options).AsTask().GetAwaiter().GetResult(), () => -1, () => { });
        }));

        GC.KeepAlive(keys);
        return results;
    }

    /// <summary>Measures the cache <paramref name="create"/> makes, filled with <paramref name="keys"/>.</summary>
    /// <param name="name">The cache's display name.</param>
    /// <param name="kind">Its kind, if it has one.</param>
    /// <param name="keys">The keys to write; they exist before the baseline is taken, so they are not counted.</param>
    /// <param name="create">Makes the cache: the object to keep alive (disposed afterwards if disposable), how to write, how to count (-1: cannot), and how to settle it.</param>
    public static MemoryFootprintResult Measure(
        string name,
        CacheKind? kind,
        string[] keys,
        Func<(object Owner, Action<string, BenchmarkValue> Put, Func<long> Count, Action Settle)> create)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(create);
        var value = BenchmarkValue.Shared;
        FullCollect();
        var retainedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var (owner, put, count, settle) = create();
        foreach (var key in keys)
        {
            put(key, value);
        }

        settle();
        var allocatedAfter = GC.GetTotalAllocatedBytes(precise: true);
        FullCollect();
        var retainedAfter = GC.GetTotalMemory(forceFullCollection: true);
        var held = count();
        GC.KeepAlive(owner);
        (owner as IDisposable)?.Dispose();

        if (held == 0)
        {
            throw new InvalidOperationException($"{name} holds no entries after being filled.");
        }

        var entries = held < 0 ? keys.Length : held;
        return new MemoryFootprintResult(
            name,
            kind,
            entries,
            (double)(retainedAfter - retainedBefore) / entries,
            (double)(allocatedAfter - allocatedBefore) / keys.Length);
    }

    /// <summary>Prints <paramref name="results"/> as a table, with each cache's ratio to BitFaster's <c>ConcurrentLru</c>.</summary>
    public static void Print(IReadOnlyList<MemoryFootprintResult> results, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(output);
        var baseline = results.FirstOrDefault(r => r.Kind == CacheKind.ConcurrentLru)?.RetainedBytesPerEntry;
        output.WriteLine($"{"cache",-26} {"entries held",12} {"retained B/entry",17} {"vs ConcurrentLru",17} {"allocated B/entry",18}");
        foreach (var r in results)
        {
            var ratio = baseline is > 0 ? $"{r.RetainedBytesPerEntry / baseline.Value:0.00}x" : "-";
            output.WriteLine($"{r.Name,-26} {r.EntriesHeld,12:N0} {r.RetainedBytesPerEntry,17:N1} {ratio,17} {r.AllocatedBytesPerEntry,18:N1}");
        }
    }

    private static void FullCollect()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}
