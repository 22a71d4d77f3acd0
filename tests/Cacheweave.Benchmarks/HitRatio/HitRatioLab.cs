using System.Collections.Concurrent;
using Cacheweave.Benchmarks.Infrastructure;
using Cacheweave.Tests.Traces;

namespace Cacheweave.Benchmarks.HitRatio;

/// <summary>
/// Replays real traces through Cacheweave's backends and BitFaster's caches and compares hit ratios. Each
/// replay is single-threaded and deterministic: a request that misses is written, cold start, every request
/// counted. The TTL backends run on a <see cref="StoppedClock"/> with a long time to live (so they measure
/// their capacity policy), and BitFaster's <c>ConcurrentLfu</c> runs its maintenance on the calling thread.
/// </summary>
public static class HitRatioLab
{
    /// <summary>The caches the lab compares.</summary>
    public static IReadOnlyList<CacheKind> Kinds { get; } =
    [
        CacheKind.CacheweaveLru, CacheKind.CacheweaveLfu, CacheKind.CacheweaveTtl, CacheKind.CacheweaveLruTtl,
        CacheKind.CacheweaveTinyLfu, CacheKind.ConcurrentLru, CacheKind.ConcurrentLfu,
    ];

    /// <summary>The caches that are exact LRUs here and so must reproduce the published LRU results.</summary>
    public static IReadOnlyList<CacheKind> ExactLruKinds { get; } = [CacheKind.CacheweaveLru, CacheKind.CacheweaveLruTtl];

    /// <summary>Replays <paramref name="trace"/> through a new cache; returns the hits.</summary>
    public static long Replay(Trace trace, CacheKind kind, int capacity)
    {
        ArgumentNullException.ThrowIfNull(trace);
        using var cache = CacheUnderTest.Create(kind, capacity, deterministic: true, timeProvider: StoppedClock.Instance);
        var adapter = cache.Adapter;
        var value = BenchmarkValue.Shared;
        long hits = 0;
        foreach (var key in trace.Requests)
        {
            if (adapter.TryGet(key))
            {
                hits++;
            }
            else
            {
                adapter.Put(key, value);
            }
        }

        return hits;
    }

    /// <summary>
    /// The capacities replayed for <paramref name="trace"/>: the published ones for OLTP and gli; for the other
    /// traces 5% to 80% of their distinct keys, rounded to two significant digits.
    /// </summary>
    public static IReadOnlyList<int> CapacitiesFor(Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if (PublishedResults.LruHitPercent.TryGetValue(trace.Name, out var published))
        {
            return [.. published.Keys.Order()];
        }

        double[] shares = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8];
        return [.. shares.Select(share => RoundToTwoDigits(trace.DistinctKeys * share)).Where(c => c >= 10).Distinct().Order()];
    }

    /// <summary>Replays every trace at every capacity through every cache in <see cref="Kinds"/>, on all cores.</summary>
    public static IReadOnlyList<HitRatioResult> Run(IEnumerable<Trace> traces) => Run(traces, Kinds);

    /// <summary>Replays every trace at every capacity through every cache in <paramref name="kinds"/>, on all cores.</summary>
    public static IReadOnlyList<HitRatioResult> Run(IEnumerable<Trace> traces, IReadOnlyList<CacheKind> kinds)
    {
        var jobs = traces
            .SelectMany(trace => CapacitiesFor(trace).SelectMany(capacity => kinds.Select(kind => (trace, capacity, kind))))

            // The longest replays first, so the cores finish together.
            .OrderByDescending(job => job.trace.Requests.Count)
            .ToList();
        var results = new ConcurrentBag<HitRatioResult>();
        Parallel.ForEach(
            jobs,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            job => results.Add(new HitRatioResult(job.trace.Name, job.capacity, job.kind, job.trace.Requests.Count, Replay(job.trace, job.kind, job.capacity))));
        return [.. results.OrderBy(r => r.Trace, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Capacity).ThenBy(r => r.Kind)];
    }

    /// <summary>The exact-LRU results that have a published value, each set against it.</summary>
    public static IReadOnlyList<PublishedCheck> CheckAgainstPublished(IEnumerable<HitRatioResult> results) =>
        [.. results
            .Where(r => ExactLruKinds.Contains(r.Kind))
            .Select(r => PublishedResults.LruHitPercent.TryGetValue(r.Trace, out var series) && series.TryGetValue(r.Capacity, out var percent)
                ? new PublishedCheck(r, percent, r.Trace.Equals("OLTP", StringComparison.OrdinalIgnoreCase) && PublishedResults.OltpLruHits.TryGetValue(r.Capacity, out var hits) ? hits : null)
                : null)
            .OfType<PublishedCheck>()];

    /// <summary>Loads the traces named in <paramref name="names"/> (all of them when empty) from ../shared/traces.</summary>
    /// <exception cref="DirectoryNotFoundException">The trace folder cannot be found.</exception>
    /// <exception cref="FileNotFoundException">A named trace is not in the folder.</exception>
    public static IReadOnlyList<Trace> LoadTraces(IReadOnlyCollection<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var directory = TraceDirectory.Locate();
        var files = Directory.EnumerateFiles(directory, "*.gz").OrderBy(Trace.NameOf, StringComparer.OrdinalIgnoreCase).ToList();
        if (names.Count > 0)
        {
            var missing = names.Where(n => !files.Any(f => string.Equals(Trace.NameOf(f), n, StringComparison.OrdinalIgnoreCase))).ToList();
            if (missing.Count > 0)
            {
                throw new FileNotFoundException($"No trace named {string.Join(", ", missing)} in {directory}.");
            }

            files = [.. files.Where(f => names.Contains(Trace.NameOf(f), StringComparer.OrdinalIgnoreCase))];
        }

        return [.. files.AsParallel().AsOrdered().Select(Trace.Load)];
    }

    /// <summary>Prints one table per trace: hit percentage by capacity and cache, with the published LRU beside it.</summary>
    public static void Print(IReadOnlyList<Trace> traces, IReadOnlyList<HitRatioResult> results, TextWriter output) =>
        Print(traces, results, Kinds, output);

    /// <summary>Prints one table per trace with a column per cache in <paramref name="kinds"/>, and the published LRU.</summary>
    public static void Print(IReadOnlyList<Trace> traces, IReadOnlyList<HitRatioResult> results, IReadOnlyList<CacheKind> kinds, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var trace in traces)
        {
            output.WriteLine();
            output.WriteLine($"{trace.Name}: {trace.Requests.Count:N0} requests, {trace.DistinctKeys:N0} distinct keys (hit %)");
            var header = $"{"capacity",9}" + string.Concat(kinds.Select(k => $" {ShortName(k),12}")) + $" {"published LRU",14}";
            output.WriteLine(header);
            PublishedResults.LruHitPercent.TryGetValue(trace.Name, out var published);
            foreach (var capacity in CapacitiesFor(trace))
            {
                var row = $"{capacity,9}";
                foreach (var kind in kinds)
                {
                    var result = results.FirstOrDefault(r => r.Trace == trace.Name && r.Capacity == capacity && r.Kind == kind);
                    row += result is null ? $" {"-",12}" : $" {result.HitPercent,12:0.00}";
                }

                row += published is not null && published.TryGetValue(capacity, out var p) ? $" {p,14:0.00}" : $" {"",14}";
                output.WriteLine(row);
            }
        }
    }

    /// <summary>The short column name of <paramref name="kind"/>.</summary>
    public static string ShortName(CacheKind kind) => kind switch
    {
        CacheKind.CacheweaveLru => "cw LRU",
        CacheKind.CacheweaveLfu => "cw LFU",
        CacheKind.CacheweaveTtl => "cw TTL",
        CacheKind.CacheweaveLruTtl => "cw LRU+TTL",
        CacheKind.CacheweaveTinyLfu => "cw TinyLFU",
        CacheKind.ConcurrentLru => "BF ConcLru",
        CacheKind.ConcurrentTLru => "BF ConcTLru",
        CacheKind.ConcurrentLfu => "BF ConcLfu",
        CacheKind.MemoryCache => "MemoryCache",
        _ => kind.ToString(),
    };

    /// <summary>
    /// The <c>hitratio [--targets] [--kinds name,name...] [trace ...]</c> command (see <see cref="LabOptions"/>):
    /// replays, prints, checks the exact LRUs against the published results and, whenever TinyLFU, ConcurrentLfu and
    /// LRU were all replayed, reports TinyLFU's targets. Returns 0, or 1 on any mismatch with the published LRU or,
    /// with <c>--targets</c>, on any TinyLFU target missed.
    /// </summary>
    /// <exception cref="ArgumentException">The arguments are not valid (see <see cref="LabOptions.Parse"/>).</exception>
    public static int RunCommand(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var options = LabOptions.Parse(args);
        var traces = LoadTraces(options.Traces);
        var results = Run(traces, options.Kinds);
        Print(traces, results, options.Kinds, output);
        var published = ReportChecks(CheckAgainstPublished(results), output);
        var cells = TinyLfuTargets.Cells(results);
        var missed = cells.Count > 0 ? TinyLfuTargets.Report(cells, output) : 0;
        return published != 0 || (options.Targets && missed > 0) ? 1 : 0;
    }

    /// <summary>Prints each published-LRU check; returns 0 when all match, 1 otherwise.</summary>
    public static int ReportChecks(IReadOnlyList<PublishedCheck> checks, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine();
        foreach (var check in checks)
        {
            output.WriteLine($"{(check.Matches ? "match   " : "MISMATCH")} {check.Describe()}");
        }

        var mismatches = checks.Count(c => !c.Matches);
        output.WriteLine(mismatches == 0
            ? $"All {checks.Count} published LRU results reproduced."
            : $"MISMATCH: {mismatches} of {checks.Count} published LRU results not reproduced.");
        return mismatches == 0 ? 0 : 1;
    }

    private static int RoundToTwoDigits(double value)
    {
        if (value < 100)
        {
            return (int)Math.Round(value);
        }

        var scale = Math.Pow(10, Math.Floor(Math.Log10(value)) - 1);
        return (int)(Math.Round(value / scale) * scale);
    }
}
