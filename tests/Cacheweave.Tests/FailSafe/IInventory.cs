using Cacheweave.Interception;

namespace Cacheweave.Tests.FailSafe;

/// <summary>A dependency that can fail or hang, behind methods that use each lifetime option.</summary>
public interface IInventory
{
    [Cached(TtlSeconds = 10, FailSafeSeconds = 60)]
    Task<Stock> StockAsync(int id, CancellationToken cancellationToken = default);

    [Cached(TtlSeconds = 10, FailSafeSeconds = 60)]
    ValueTask<Stock> StockValueAsync(int id);

    [Cached(TtlSeconds = 10, FailSafeSeconds = 60)]
    Stock StockSync(int id);

    [Cached(TtlSeconds = 10, FailSafeSeconds = 60, FailSafeThrottleSeconds = 5)]
    Task<Stock> ThrottledAsync(int id);

    [Cached(TtlSeconds = 10, EagerRefresh = 0.8)]
    Task<Stock> EagerAsync(int id);

    [Cached(TtlSeconds = 10, EagerRefresh = 0.8)]
    ValueTask<Stock> EagerValueAsync(int id);

    [Cached(TtlSeconds = 10, EagerRefresh = 0.8)]
    Stock EagerSync(int id);

    [Cached(TtlSeconds = 10, FailSafeSeconds = 60, SoftTimeoutMs = 100, HardTimeoutMs = 1000)]
    Task<Stock> SoftAsync(int id);

    [Cached(TtlSeconds = 10, FailSafeSeconds = 60, HardTimeoutMs = 1000)]
    ValueTask<Stock> HardWithFailSafeAsync(int id);

    [Cached(TtlSeconds = 10, HardTimeoutMs = 1000)]
    Task<Stock> HardAsync(int id);

    [Cached(TtlSeconds = 10, HardTimeoutMs = 1000)]
    Stock HardSync(int id);

    [Cached(TtlSeconds = 10, JitterSeconds = 5)]
    Task<Stock> JitteredAsync(int id);

    [Cached(TtlSeconds = 60, Unless = nameof(IsEmpty))]
    Task<List<string>> NamesAsync(int id);

    [Cached(TtlSeconds = 60, UnlessType = typeof(NegativeStock))]
    Stock Checked(int id);

    [Cached(TtlSeconds = 60, NullTtlSeconds = 5)]
    Task<Stock?> FindAsync(int id);

    [Cached(TtlSeconds = 60)]
    Task<Stock> PlainAsync(int id);

    [Cached(TtlSeconds = 60)]
    Stock PlainSync(int id);

    static bool IsEmpty(List<string> names) => names.Count == 0;
}
