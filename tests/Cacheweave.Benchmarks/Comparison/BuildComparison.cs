using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Cacheweave.Benchmarks.Comparison;

/// <summary>
/// Compares the proxied hit of two builds of this project (for example the commit before a change and the working
/// tree) in one process: both builds are loaded side by side, and their <see cref="Interception.CachedCallBenchmarks"/>
/// methods are timed in alternating short rounds, so that whatever else the machine does slows both alike. The
/// result is the median of the per-round ratios. The build loaded second measured a few percent slower than the
/// first in an A/A check, so the comparison runs twice, once in each load order (each in its own process), and
/// reports the geometric mean of the two ratios.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project tests/Cacheweave.Benchmarks -- compare &lt;base build dir&gt; &lt;new build dir&gt;</c>;
/// <c>compare-builds.sh &lt;commit&gt;</c> builds the commit and runs it against the working tree.
/// </remarks>
internal static class BuildComparison
{
    private const string BenchmarkType = "Cacheweave.Benchmarks.Interception.CachedCallBenchmarks";
    // A method that one of the two builds lacks (it came later) is left out of the comparison.
    private static readonly string[] Methods = ["CacheweaveTask", "CacheweaveValueTask", "CacheweaveSync", "CacheweaveTwoLevelTask"];
    private static readonly int[] DistinctCalls = [1, 1024];

    /// <summary>Runs both load orders in child processes and prints the combined ratios; returns the exit code.</summary>
    internal static int Run(string[] args, TextWriter output)
    {
        if (args.Length < 2)
        {
            output.WriteLine("usage: compare <base build dir> <new build dir> [rounds]");
            return 2;
        }

        var baseDir = Path.GetFullPath(args[0]);
        var newDir = Path.GetFullPath(args[1]);
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 41;
        output.WriteLine($"proxied hit, new build ÷ base build; {rounds} alternating rounds per load order; clock: {(ThreadCpuClock.MeasuresCpu ? "thread CPU time" : "wall time")}");
        output.WriteLine($"base: {baseDir}");
        output.WriteLine($"new:  {newDir}");
        output.WriteLine();
        output.WriteLine("| call | argument sets | base | new | new ÷ base, base loaded first | new loaded first | combined |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var distinct in DistinctCalls)
        {
            var baseFirst = RunChild(baseDir, newDir, distinct, rounds);
            var newFirst = RunChild(newDir, baseDir, distinct, rounds);
            foreach (var method in Methods)
            {
                if (!baseFirst.TryGetValue(method, out var forward) || !newFirst.TryGetValue(method, out var backward))
                {
                    continue;
                }

                var ratioForward = forward.SecondOverFirst;
                var ratioBackward = 1 / backward.SecondOverFirst;
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {method} | {distinct:N0} | {MeanOf(forward.First, backward.Second):F1} ns | {MeanOf(forward.Second, backward.First):F1} ns | {ratioForward:F3} | {ratioBackward:F3} | **{Math.Sqrt(ratioForward * ratioBackward):F3}** |"));
            }
        }

        return 0;
    }

    /// <summary>The child's side: loads the two builds in this order and times each method; prints one line per method.</summary>
    internal static int RunPair(string[] args, TextWriter output)
    {
        var first = Load(args[0]);
        var second = Load(args[1]);
        var distinct = int.Parse(args[2], CultureInfo.InvariantCulture);
        var rounds = int.Parse(args[3], CultureInfo.InvariantCulture);
        foreach (var method in Methods.Where(m => first.Has(m) && second.Has(m)))
        {
            var a = first.Bind(method, distinct);
            var b = second.Bind(method, distinct);
            var result = Alternate(a, b, rounds);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{method} {result.First:R} {result.Second:R} {result.SecondOverFirst:R}"));
        }

        return 0;
    }

    // A build's time: the mean of its medians in the two load orders.
    private static double MeanOf(double x, double y) => (x + y) / 2;

    private static Dictionary<string, PairResult> RunChild(string firstDir, string secondDir, int distinct, int rounds)
    {
        var self = typeof(BuildComparison).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { self, "compare-pair", firstDir, secondDir, distinct.ToString(CultureInfo.InvariantCulture), rounds.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the comparison process.");
        var lines = child.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        child.WaitForExit();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"The comparison process exited with {child.ExitCode}.");
        }

        var results = new Dictionary<string, PairResult>();
        foreach (var line in lines)
        {
            var parts = line.Split(' ');
            results[parts[0]] = new PairResult(
                double.Parse(parts[1], CultureInfo.InvariantCulture),
                double.Parse(parts[2], CultureInfo.InvariantCulture),
                double.Parse(parts[3], CultureInfo.InvariantCulture));
        }

        return results;
    }

    private static PairResult Alternate(Func<object> first, Func<object> second, int rounds)
    {
        const int OperationsPerRound = 100_000;
        for (var i = 0; i < 300_000; i++)
        {
            first();
            second();
        }

        var firstTimes = new double[rounds];
        var secondTimes = new double[rounds];
        var ratios = new double[rounds];
        for (var round = 0; round < rounds; round++)
        {
            // Alternate which build goes first within the round as well.
            if (round % 2 == 0)
            {
                firstTimes[round] = Time(first, OperationsPerRound);
                secondTimes[round] = Time(second, OperationsPerRound);
            }
            else
            {
                secondTimes[round] = Time(second, OperationsPerRound);
                firstTimes[round] = Time(first, OperationsPerRound);
            }

            ratios[round] = secondTimes[round] / firstTimes[round];
        }

        return new PairResult(MedianOf(firstTimes), MedianOf(secondTimes), MedianOf(ratios));
    }

    private static double Time(Func<object> call, int operations)
    {
        var start = ThreadCpuClock.NowNanoseconds();
        for (var i = 0; i < operations; i++)
        {
            call();
        }

        return (ThreadCpuClock.NowNanoseconds() - start) / (double)operations;
    }

    private static double MedianOf(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }

    private static LoadedBuild Load(string directory)
    {
        var path = Path.Combine(directory, "Cacheweave.Benchmarks.dll");
        var context = new BuildLoadContext(path);
        return new LoadedBuild(context.LoadFromAssemblyPath(path));
    }

    private readonly record struct PairResult(double First, double Second, double SecondOverFirst);

    private sealed class LoadedBuild(Assembly assembly)
    {
        internal bool Has(string method) => assembly.GetType(BenchmarkType, throwOnError: true)!.GetMethod(method) is not null;

        internal Func<object> Bind(string method, int distinct)
        {
            var type = assembly.GetType(BenchmarkType, throwOnError: true)!;
            var benchmark = Activator.CreateInstance(type)!;
            type.GetProperty("DistinctCalls")!.SetValue(benchmark, distinct);
            type.GetMethod("Setup")!.Invoke(benchmark, null);
            return (Func<object>)Delegate.CreateDelegate(typeof(Func<object>), benchmark, type.GetMethod(method)!);
        }
    }
}
