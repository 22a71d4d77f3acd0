using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Cacheweave.Tests.Diagnostics;

/// <summary>Reads collected measurements by their tags.</summary>
public static class Measurements
{
    /// <summary>Collects the observable instrument now and returns the value measured with all of <paramref name="tags"/>, or null when none was.</summary>
    public static T? Observe<T>(this MetricCollector<T> collector, params KeyValuePair<string, object?>[] tags)
        where T : struct
    {
        collector.Clear();
        collector.RecordObservableInstruments();
        return collector.GetMeasurementSnapshot().LastOrDefault(m => m.ContainsTags(tags))?.Value;
    }

    /// <summary>The recorded measurements that carry all of <paramref name="tags"/>.</summary>
    public static List<CollectedMeasurement<T>> With<T>(this MetricCollector<T> collector, params KeyValuePair<string, object?>[] tags)
        where T : struct =>
        [.. collector.GetMeasurementSnapshot().Where(m => m.ContainsTags(tags))];

    public static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);
}
