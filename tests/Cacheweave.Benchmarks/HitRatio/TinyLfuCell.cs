namespace Cacheweave.Benchmarks.HitRatio;

/// <summary>TinyLFU's hit percentage in one trace and capacity, beside the two caches its targets compare it with.</summary>
/// <param name="Trace">The trace name.</param>
/// <param name="Capacity">The capacity in entries.</param>
/// <param name="TinyLfu">Cacheweave <c>TinyLfuBackend</c>'s hit percentage.</param>
/// <param name="ConcurrentLfu">BitFaster <c>ConcurrentLfu</c>'s hit percentage.</param>
/// <param name="Lru">Exact LRU's (Cacheweave <c>LruBackend</c>) hit percentage.</param>
public sealed record TinyLfuCell(string Trace, int Capacity, double TinyLfu, double ConcurrentLfu, double Lru)
{
    /// <summary>TinyLFU minus <c>ConcurrentLfu</c>, in points.</summary>
    public double VersusConcurrentLfu => TinyLfu - ConcurrentLfu;

    /// <summary>TinyLFU minus exact LRU, in points.</summary>
    public double VersusLru => TinyLfu - Lru;

    /// <summary>Whether TinyLFU is more than <see cref="TinyLfuTargets.MaxPointsBelowConcurrentLfu"/> below <c>ConcurrentLfu</c>.</summary>
    public bool MissesConcurrentLfu => VersusConcurrentLfu < -TinyLfuTargets.MaxPointsBelowConcurrentLfu;

    /// <summary>Whether TinyLFU is more than <see cref="TinyLfuTargets.MaxPointsBelowLru"/> below exact LRU.</summary>
    public bool MissesLru => VersusLru < -TinyLfuTargets.MaxPointsBelowLru;
}
