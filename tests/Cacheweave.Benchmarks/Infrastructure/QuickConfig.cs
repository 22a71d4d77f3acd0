using BenchmarkDotNet.Configs;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Cacheweave.Benchmarks.Infrastructure;

/// <summary>The quick variant's BenchmarkDotNet settings: a short job, good for ratios, not for publishing absolute times.</summary>
public static class QuickConfig
{
    /// <summary>A short job: one launch, two warm-up and five measured iterations of about 150 ms.</summary>
    public static Job Job { get; } = Job.ShortRun
        .WithWarmupCount(2)
        .WithIterationCount(5)
        .WithIterationTime(TimeInterval.FromMilliseconds(150))
        .WithId("Quick");

    /// <summary>The default configuration with <see cref="Job"/>; <paramref name="inProcess"/> skips the per-case child process.</summary>
    public static IConfig Create(bool inProcess)
    {
        var job = inProcess ? Job.WithToolchain(InProcessEmitToolchain.Instance) : Job;
        return DefaultConfig.Instance.AddJob(job.AsDefault());
    }
}
