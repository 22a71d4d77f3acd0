using Cacheweave.Interception;

namespace Cacheweave.Tests.Diagnostics;

/// <summary>A cached service in each return shape, with a method that fails, for the telemetry tests.</summary>
public interface IPriceList
{
    [Cached]
    Task<int> PriceAsync(int id);

    [Cached]
    ValueTask<int> PriceValueAsync(int id);

    [Cached]
    int Price(int id);

    [Cached]
    Task<int> BrokenPriceAsync(int id);

    /// <summary>An overload: the same method tag as <see cref="Price(int)"/>.</summary>
    [Cached]
    int Price(string code);
}
