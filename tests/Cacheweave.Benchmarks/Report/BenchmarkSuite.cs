using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Cacheweave.Benchmarks.Backends;
using Cacheweave.Benchmarks.Infrastructure;
using Cacheweave.Benchmarks.Interception;
using Cacheweave.Benchmarks.Keys;

namespace Cacheweave.Benchmarks.Report;

/// <summary>The benchmark classes the report runs, and the flattening of their results.</summary>
public static class BenchmarkSuite
{
    /// <summary>The classes of the quick report, in report order.</summary>
    public static IReadOnlyList<Type> ReportTypes { get; } =
    [
        typeof(GetHitBenchmarks),
        typeof(GetMissBenchmarks),
        typeof(PutBenchmarks),
        typeof(MixedWorkloadBenchmarks),
        typeof(CachedCallBenchmarks),
        typeof(KeyBuildingBenchmarks),
    ];

    /// <summary>
    /// Runs <paramref name="types"/> with the quick job (trimmed parameters); returns every case's result.
    /// <paramref name="inProcess"/> runs the cases in this process instead of one child process each.
    /// </summary>
    public static IReadOnlyList<BenchmarkMeasurement> RunQuick(IEnumerable<Type> types, string artifactsPath, bool inProcess)
    {
        BenchmarkProfile.Quick = true;
        var config = QuickConfig.Create(inProcess)
            .WithArtifactsPath(artifactsPath);
        var summaries = BenchmarkRunner.Run([.. types], config);
        return [.. summaries.SelectMany(Flatten)];
    }

    /// <summary>Flattens one summary; cases that failed to produce a result are left out.</summary>
    public static IEnumerable<BenchmarkMeasurement> Flatten(Summary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        foreach (var report in summary.Reports)
        {
            if (report.ResultStatistics is not { } statistics)
            {
                continue;
            }

            var benchmark = report.BenchmarkCase;
            var descriptor = benchmark.Descriptor;
            var parameters = string.Join(", ", benchmark.Parameters.Items.Select(p => $"{p.Name}={p.Value}"));
            var allocated = report.GcStats.GetBytesAllocatedPerOperation(benchmark);
            yield return new BenchmarkMeasurement(
                descriptor.Type.Name,
                descriptor.Categories.FirstOrDefault() ?? descriptor.Type.Name,
                descriptor.WorkloadMethod.Name,
                parameters,
                statistics.Min,
                allocated,
                descriptor.Baseline)
            {
                MeanNanoseconds = statistics.Mean,
            };
        }
    }
}
