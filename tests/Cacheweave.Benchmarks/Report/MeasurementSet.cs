namespace Cacheweave.Benchmarks.Report;

/// <summary>Looks benchmark results up by class, method and parameters (in any order, e.g. <c>Capacity=1000, Threads=2</c>).</summary>
public sealed class MeasurementSet(IReadOnlyList<BenchmarkMeasurement> measurements)
{
    /// <summary>Every result.</summary>
    public IReadOnlyList<BenchmarkMeasurement> All { get; } = measurements;

    /// <summary>The result of <paramref name="method"/> in <paramref name="benchmarkClass"/> with exactly <paramref name="parameters"/>, if it ran.</summary>
    public BenchmarkMeasurement? Find(string benchmarkClass, string method, string parameters = "")
    {
        var wanted = Normalize(parameters);
        return All.FirstOrDefault(m => m.Class == benchmarkClass && m.Method == method && Normalize(m.Parameters) == wanted);
    }

    /// <summary>The baseline of the group <paramref name="measurement"/> belongs to (same class and parameters).</summary>
    public BenchmarkMeasurement? BaselineOf(BenchmarkMeasurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        return All.FirstOrDefault(m => m.Class == measurement.Class && m.Parameters == measurement.Parameters && m.IsBaseline);
    }

    private static string Normalize(string parameters) =>
        string.Join(", ", parameters.Split(", ", StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
}
