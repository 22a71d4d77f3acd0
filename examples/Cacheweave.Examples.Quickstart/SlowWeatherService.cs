namespace Cacheweave.Examples.Quickstart;

/// <summary>Stands for a remote API: every call takes 200 ms.</summary>
public sealed class SlowWeatherService(ExecutionLog log) : IWeatherService
{
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(200);

    public async Task<Forecast> GetForecastAsync(string city, CancellationToken cancellationToken = default)
    {
        log.Record();
        await Task.Delay(Latency, cancellationToken);
        return new Forecast(city, 10 + city.Length, "cloudy");
    }

    public async Task<Station?> FindStationAsync(string code)
    {
        log.Record();
        await Task.Delay(Latency);
        return code == "OSL" ? new Station("OSL", "Oslo") : null;
    }

    public async ValueTask<int> GetAlertCountAsync(string city)
    {
        log.Record();
        await Task.Delay(Latency);
        return city.Length % 3;
    }
}
