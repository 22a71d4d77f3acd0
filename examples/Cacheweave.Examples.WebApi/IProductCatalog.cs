using Cacheweave.Interception;

namespace Cacheweave.Examples.WebApi;

public interface IProductCatalog
{
    /// <summary>
    /// Cached for a minute; "no such product" (null) is cached too. When the database fails after the minute, the last
    /// product is served for up to an hour more (fail-safe), and the database is not asked again for 10 s after a failure.
    /// </summary>
    [Cached(TtlSeconds = 60, FailSafeSeconds = 3600, FailSafeThrottleSeconds = 10)]
    Task<Product?> GetProductAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Prices change often: cached for 2 s and refreshed in the background once an entry is past half its lifetime, so
    /// callers of a busy price never wait. When the database fails, the last price is served for up to 10 minutes.
    /// </summary>
    [Cached(TtlSeconds = 2, EagerRefresh = 0.5, FailSafeSeconds = 600, FailSafeThrottleSeconds = 1, HardTimeoutMs = 5000)]
    Task<Price> GetPriceAsync(int id, CancellationToken cancellationToken = default);
}
