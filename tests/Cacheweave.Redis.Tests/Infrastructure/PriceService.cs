using Cacheweave.Interception;

namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>A cached service for the end-to-end tests: counts how often its real method runs.</summary>
public interface IPriceService
{
    [Cached(TtlSeconds = 30)]
    Task<int> GetPriceAsync(string sku);
}

/// <summary>The real service behind the proxy.</summary>
public sealed class PriceService : IPriceService
{
    private int _runs;

    public int Runs => Volatile.Read(ref _runs);

    public async Task<int> GetPriceAsync(string sku)
    {
        Interlocked.Increment(ref _runs);
        await Task.Yield();
        return sku.Length * 100;
    }
}
