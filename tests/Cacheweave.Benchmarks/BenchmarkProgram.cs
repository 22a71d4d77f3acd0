using BenchmarkDotNet.Running;
using Cacheweave.Benchmarks.Comparison;
using Cacheweave.Benchmarks.HitRatio;
using Cacheweave.Benchmarks.Infrastructure;
using Cacheweave.Benchmarks.Memory;
using Cacheweave.Benchmarks.Report;

namespace Cacheweave.Benchmarks;

/// <summary>
/// The entry point. Without a mode the arguments go to BenchmarkDotNet (<c>--filter '*GetHit*' --job short</c>).
/// The modes:
/// <list type="bullet">
/// <item><c>quick [BenchmarkDotNet arguments]</c>: the benchmarks with the quick job and trimmed parameters.</item>
/// <item><c>memory</c>: bytes per entry at 1,000,000 entries, for every cache.</item>
/// <item><c>keymemo</c>: bytes per argument set remembered by the key memo, at 100,000 sets.</item>
/// <item><c>hitratio [trace ...]</c>: replays the traces in ../shared/traces through every cache; exits 1 if the LRU does not reproduce a published result.</item>
/// <item><c>compare &lt;base build dir&gt; &lt;new build dir&gt; [rounds]</c>: the proxied hit of two builds of this project, side by side in one process (see <c>compare-builds.sh</c>).</item>
/// <item><c>mix-rounds [rounds]</c>: the 2-thread 80/20 mix, each cache's fastest of many short interleaved rounds (see <see cref="MixRounds"/>).</item>
/// <item><c>report [--reuse]</c>: all of the above (quick), written to docs/performance.md with charts.</item>
/// </list>
/// </summary>
public static class BenchmarkProgram
{
    /// <summary>Runs the mode named by the first argument; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var mode = args.Length > 0 ? args[0] : string.Empty;
        var rest = args.Length > 0 ? args[1..] : [];
        switch (mode)
        {
            case "quick":
                BenchmarkProfile.Quick = true;
                BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(rest, QuickConfig.Create(inProcess: false));
                return 0;
            case "memory":
                MemoryFootprint.Print(MemoryFootprint.MeasureAll(), Console.Out);
                return 0;
            case "keymemo":
                KeyMemoFootprint.Print(Console.Out);
                return 0;
            case "hitratio":
                return HitRatioLab.RunCommand(rest, Console.Out);
            case "compare":
                return BuildComparison.Run(rest, Console.Out);
            case "mix-rounds":
                return MixRounds.Run(rest, Console.Out);
            case "compare-pair":
                return BuildComparison.RunPair(rest, Console.Out);
            case "report":
                return PerformanceReport.Run(rest, Console.Out);
            default:
                BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
                return 0;
        }
    }
}
