using Cacheweave.Benchmarks.Infrastructure;

namespace Cacheweave.Benchmarks.Backends;

/// <summary>
/// The measured loops, generic over a struct <see cref="ICacheAdapter"/> so that each cache gets its own
/// specialised copy with direct (inlinable) calls.
/// </summary>
public static class CacheWorkloads
{
    /// <summary>Reads <paramref name="count"/> keys of <paramref name="order"/> from <paramref name="start"/> (wrapping); returns the hits.</summary>
    public static int Read<TCache>(TCache cache, string[] order, int start, int count)
        where TCache : struct, ICacheAdapter
    {
        var mask = order.Length - 1;
        var hits = 0;
        for (var i = 0; i < count; i++)
        {
            if (cache.TryGet(order[(start + i) & mask]))
            {
                hits++;
            }
        }

        return hits;
    }

    /// <summary>Writes <paramref name="count"/> keys of <paramref name="keys"/> from <paramref name="start"/> (wrapping); returns where to continue.</summary>
    public static int Write<TCache>(TCache cache, string[] keys, int start, int count)
        where TCache : struct, ICacheAdapter
    {
        var value = BenchmarkValue.Shared;
        var next = start;
        for (var i = 0; i < count; i++)
        {
            cache.Put(keys[next], value);
            if (++next == keys.Length)
            {
                next = 0;
            }
        }

        return next;
    }

    /// <summary>Runs <paramref name="count"/> operations of <paramref name="operations"/> from <paramref name="start"/> (wrapping); returns the read hits.</summary>
    public static int Mixed<TCache>(TCache cache, MixedOperation[] operations, int start, int count)
        where TCache : struct, ICacheAdapter
    {
        var mask = operations.Length - 1;
        var value = BenchmarkValue.Shared;
        var hits = 0;
        for (var i = 0; i < count; i++)
        {
            var operation = operations[(start + i) & mask];
            if (operation.IsWrite)
            {
                cache.Put(operation.Key, value);
            }
            else if (cache.TryGet(operation.Key))
            {
                hits++;
            }
        }

        return hits;
    }

    /// <summary>
    /// Fills <paramref name="cache"/> with <paramref name="keys"/> and checks (on up to 65,536 keys spread over
    /// the set) that it kept them.
    /// </summary>
    /// <exception cref="InvalidOperationException">The cache lost entries it had room for.</exception>
    public static void FillAndVerify(CacheUnderTest cache, IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(keys);
        var adapter = cache.Adapter;
        var value = BenchmarkValue.Shared;
        foreach (var key in keys)
        {
            adapter.Put(key, value);
        }

        cache.Settle();
        var step = Math.Max(1, keys.Count / 65_536);
        int checkedKeys = 0, missing = 0;
        for (var i = 0; i < keys.Count; i += step)
        {
            checkedKeys++;
            if (!adapter.TryGet(keys[i]))
            {
                missing++;
            }
        }

        // The read-back counts as a use; replay it so that the benchmark starts from a settled cache.
        cache.Settle();

        // BitFaster's caches keep close to, not exactly, their capacity.
        if (missing > checkedKeys / 100)
        {
            throw new InvalidOperationException($"{cache.Name} lost {missing} of {checkedKeys} sampled entries it had room for.");
        }
    }
}
