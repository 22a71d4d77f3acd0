using System.Text.Json;
using Cacheweave.Benchmarks.HitRatio;
using Cacheweave.Benchmarks.Memory;

namespace Cacheweave.Benchmarks.Report;

/// <summary>Everything a report is written from; saved beside the BenchmarkDotNet artifacts so the page can be rewritten without measuring again.</summary>
/// <param name="Machine">Where it was measured.</param>
/// <param name="Benchmarks">The BenchmarkDotNet results.</param>
/// <param name="Memory">Bytes per entry.</param>
/// <param name="HitRatios">The trace replays.</param>
/// <param name="Traces">Each replayed trace's name, request count and distinct keys.</param>
/// <param name="DurationSeconds">How long the measurement took.</param>
/// <param name="InProcess">Whether the benchmark cases ran in one process.</param>
public sealed record ReportData(
    MachineInfo Machine,
    IReadOnlyList<BenchmarkMeasurement> Benchmarks,
    IReadOnlyList<MemoryFootprintResult> Memory,
    IReadOnlyList<HitRatioResult> HitRatios,
    IReadOnlyList<TraceSummary> Traces,
    double DurationSeconds,
    bool InProcess)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Writes the data as JSON to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>Reads data written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file does not hold report data.</exception>
    public static ReportData Load(string path) =>
        JsonSerializer.Deserialize<ReportData>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"'{path}' holds no report data.");
}
