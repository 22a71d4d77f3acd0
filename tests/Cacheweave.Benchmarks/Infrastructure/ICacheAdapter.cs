namespace Cacheweave.Benchmarks.Infrastructure;

/// <summary>
/// The two operations every workload needs, over one cache. Implementations are structs so that a generic
/// workload loop is specialised per cache by the JIT and calls the cache directly, not through this interface.
/// </summary>
public interface ICacheAdapter
{
    /// <summary>Looks <paramref name="key"/> up; <see langword="true"/> on a hit.</summary>
    bool TryGet(string key);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>, evicting if the cache is full.</summary>
    void Put(string key, BenchmarkValue value);
}
