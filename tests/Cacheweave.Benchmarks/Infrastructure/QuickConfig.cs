using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Cacheweave.Benchmarks.Infrastructure;

/// <summary>The quick variant's BenchmarkDotNet settings: a short job, good for ratios, not for publishing absolute times.</summary>
public static class QuickConfig
{
    /// <summary>
    /// A short job: one launch, two warm-up and seven measured iterations of about 100 ms, without a forced full
    /// collection between iterations (the measured operations allocate next to nothing, and with a million cached
    /// entries on the heap each forced collection would take longer than the iteration it precedes).
    /// </summary>
    public static Job Job { get; } = Job.ShortRun
        .WithWarmupCount(2)
        .WithIterationCount(7)
        .WithIterationTime(TimeInterval.FromMilliseconds(100))
        .WithGcForce(false)
        .WithId("Quick");

    /// <summary>The default configuration with <see cref="Job"/>; <paramref name="inProcess"/> skips the per-case child process.</summary>
    public static IConfig Create(bool inProcess)
    {
        var job = inProcess ? Job.WithToolchain(InProcessEmitToolchain.Instance) : Job;
        return DefaultConfig.Instance.AddJob(job.AsDefault());
    }
}
