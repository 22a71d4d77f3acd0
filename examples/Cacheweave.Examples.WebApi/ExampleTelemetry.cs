using Cacheweave.Diagnostics;
using OpenTelemetry.Metrics;

namespace Cacheweave.Examples.WebApi;

/// <summary>
/// The example's telemetry: Cacheweave's metrics exported to the console by OpenTelemetry (no collector or other
/// service needed), and a health check of the cache at <c>/health</c>.
/// </summary>
public static class ExampleTelemetry
{
    /// <summary>
    /// Exports the <c>Cacheweave</c> meter to standard output every <c>Telemetry:ExportIntervalSeconds</c> seconds
    /// (default 10), and adds Cacheweave's health check.
    /// </summary>
    public static IServiceCollection AddExampleTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var interval = TimeSpan.FromSeconds(configuration.GetValue("Telemetry:ExportIntervalSeconds", 10.0));
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(CacheweaveDiagnostics.MeterName)
            .AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)interval.TotalMilliseconds));
        services.AddHealthChecks().AddCacheweaveHealthChecks();
        return services;
    }
}
