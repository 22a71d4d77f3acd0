using BenchmarkDotNet.Running;
using Cacheweave.Benchmarks.Infrastructure;

namespace Cacheweave.Benchmarks;

/// <summary>
/// The entry point. With no mode the arguments go to BenchmarkDotNet (<c>--filter '*GetHit*' --job short</c>);
/// the modes are:
/// <list type="bullet">
/// <item><c>quick [BenchmarkDotNet arguments]</c>: the benchmarks with trimmed parameters and a short job.</item>
/// <item><c>memory</c>: bytes retained per entry at 1,000,000 entries, per cache.</item>
/// <item><c>hitratio [trace ...]</c>: replays the traces in ../shared/traces through every cache.</item>
/// <item><c>report</c>: the quick variants of all of the above, written to docs/performance.md with charts.</item>
/// </list>
/// </summary>
public static class BenchmarkProgram
{
    /// <summary>Runs the mode named by the first argument; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
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
            default:
                BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
                await Task.CompletedTask.ConfigureAwait(false);
                return 0;
        }
    }
}
