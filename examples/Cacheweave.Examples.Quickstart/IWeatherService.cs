using Cacheweave.Interception;

namespace Cacheweave.Examples.Quickstart;

/// <summary>[Cached] goes on the interface; the implementation knows nothing about caching.</summary>
public interface IWeatherService
{
    [Cached(TtlSeconds = 300)]
    Task<Forecast> GetForecastAsync(string city, CancellationToken cancellationToken = default);

    /// <summary>Null ("no such station") is cached too, so unknown codes do not hit the slow source again.</summary>
    [Cached]
    Task<Station?> FindStationAsync(string code);

    [Cached(TtlSeconds = 1)]
    ValueTask<int> GetAlertCountAsync(string city);
}
