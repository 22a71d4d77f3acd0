using Cacheweave.Benchmarks.Infrastructure;

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

    /// <summary>Measures every <see cref="CacheKind"/> holding <paramref name="entries"/> entries, one after another on this thread.</summary>
    public static IReadOnlyList<MemoryFootprintResult> MeasureAll(int entries = DefaultEntries)
    {
        var keys = BenchmarkKeys.Create(entries);
        var results = new List<MemoryFootprintResult>();
        foreach (var kind in Enum.GetValues<CacheKind>())
        {
            results.Add(Measure(kind, keys));
        }

        GC.KeepAlive(keys);
        return results;
    }

    /// <summary>Measures one cache holding <paramref name="keys"/>.</summary>
    public static MemoryFootprintResult Measure(CacheKind kind, string[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var value = BenchmarkValue.Shared;
        FullCollect();
        var retainedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var cache = CacheUnderTest.Create(kind, keys.Length);
        var adapter = cache.Adapter;
        foreach (var key in keys)
        {
            adapter.Put(key, value);
        }

        cache.Settle();
        var allocatedAfter = GC.GetTotalAllocatedBytes(precise: true);
        FullCollect();
        var retainedAfter = GC.GetTotalMemory(forceFullCollection: true);
        var count = cache.Count;
        GC.KeepAlive(cache);
        cache.Dispose();

        if (count == 0)
        {
            throw new InvalidOperationException($"{cache.Name} holds no entries after being filled.");
        }

        return new MemoryFootprintResult(
            kind,
            count,
            (double)(retainedAfter - retainedBefore) / count,
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
            output.WriteLine($"{CacheUnderTest.DisplayName(r.Kind),-26} {r.EntriesHeld,12:N0} {r.RetainedBytesPerEntry,17:N1} {ratio,17} {r.AllocatedBytesPerEntry,18:N1}");
        }
    }

    private static void FullCollect()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}
