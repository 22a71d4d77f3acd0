using System.Diagnostics;
using System.Globalization;
using BitFaster.Caching.Lfu;
using BitFaster.Caching.Lru;
using Cacheweave.Backends;
using Cacheweave.Benchmarks.Backends;
using Cacheweave.Benchmarks.Infrastructure;

namespace Cacheweave.Benchmarks.Comparison;

/// <summary>
/// The 80/20 mix of <see cref="MixedWorkloadBenchmarks"/>, timed for development on a machine that is never quiet:
/// every cache runs short rounds (a few thousand operations per thread), in turn with the others, many times, and each
/// keeps its fastest round. One thread's rounds are timed on its CPU clock, which other processes do not advance; two
/// threads' rounds on the wall clock (the calling thread is one of the two workers, so nothing else spins), where a
/// round short of a scheduler quantum often runs with both threads on a core even while another process is busy.
/// Taking turns exposes every cache to the same disturbances.
/// </summary>
/// <remarks><c>dotnet run -c Release --project tests/Cacheweave.Benchmarks -- mix-rounds [rounds]</c>.</remarks>
public static class MixRounds
{
    private const int Capacity = 1_000;
    private const int PerThread = 4_096;
    private const int SequenceLength = 1 << 16;

    private static readonly CacheKind[] Kinds =
    [
        CacheKind.ConcurrentLru, CacheKind.ConcurrentLfu, CacheKind.CacheweaveLru, CacheKind.CacheweaveLfu,
        CacheKind.CacheweaveTtl, CacheKind.CacheweaveLruTtl, CacheKind.CacheweaveTinyLfu,
    ];

    /// <summary>Runs the comparison and prints each cache's fastest round in nanoseconds per operation.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 400;

        var keys = BenchmarkKeys.Create(Capacity);
        var random = new Random(7);
        var operations = new MixedOperation[SequenceLength];
        for (var i = 0; i < operations.Length; i++)
        {
            operations[i] = new MixedOperation(keys[random.Next(keys.Length)], random.NextDouble() < 0.2);
        }

        var caches = Kinds.Select(kind => CacheUnderTest.Create(kind, Capacity)).ToArray();
        foreach (var cache in caches)
        {
            CacheWorkloads.FillAndVerify(cache, keys);
        }

        var best = new double[caches.Length];
        var single = new double[caches.Length];
        Array.Fill(best, double.MaxValue);
        Array.Fill(single, double.MaxValue);
        var current = -1;
        var start = 0;
        var round = 0;
        var done = 0;
        var stop = false;
        var partner = new Thread(() =>
        {
            var seen = 0;
            while (true)
            {
                var spinner = default(SpinWait);
                while (Volatile.Read(ref round) == seen && !Volatile.Read(ref stop))
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                }

                if (Volatile.Read(ref stop))
                {
                    return;
                }

                seen = Volatile.Read(ref round);
                RunShare(caches[Volatile.Read(ref current)], operations, Volatile.Read(ref start) + (SequenceLength / 2));
                Volatile.Write(ref done, seen);
            }
        })
        { IsBackground = true };
        partner.Start();

        for (var r = 0; r < rounds; r++)
        {
            for (var c = 0; c < caches.Length; c++)
            {
                var cpu = ThreadCpuClock.NowNanoseconds();
                RunShare(caches[c], operations, (r * PerThread * 3) % SequenceLength);
                single[c] = Math.Min(single[c], (ThreadCpuClock.NowNanoseconds() - cpu) / (double)PerThread);

                Volatile.Write(ref current, c);
                Volatile.Write(ref start, (r * PerThread) % SequenceLength);
                var began = Stopwatch.GetTimestamp();
                var issued = Interlocked.Increment(ref round);
                RunShare(caches[c], operations, start);
                var spinner = default(SpinWait);
                while (Volatile.Read(ref done) != issued)
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                }

                var nanoseconds = Stopwatch.GetElapsedTime(began).TotalNanoseconds / (2.0 * PerThread);
                best[c] = Math.Min(best[c], nanoseconds);
            }
        }

        Volatile.Write(ref stop, true);
        partner.Join();
        output.WriteLine(FormattableString.Invariant($"80/20 mix, {Capacity:N0} entries, fastest of {rounds} rounds (ns/op; throughput relative to ConcurrentLru / ConcurrentLfu):"));
        Print(output, "1 thread, CPU time", single);
        Print(output, "2 threads, wall time", best);
        foreach (var cache in caches)
        {
            cache.Dispose();
        }

        return 0;
    }

    private static void Print(TextWriter output, string title, double[] times)
    {
        var lru = times[Array.IndexOf(Kinds, CacheKind.ConcurrentLru)];
        var lfu = times[Array.IndexOf(Kinds, CacheKind.ConcurrentLfu)];
        output.WriteLine("  " + title);
        for (var c = 0; c < Kinds.Length; c++)
        {
            output.WriteLine(FormattableString.Invariant($"    {CacheUnderTest.DisplayName(Kinds[c]),-26} {times[c],7:F1}   {lru / times[c]:F2}x / {lfu / times[c]:F2}x"));
        }
    }

    private static void RunShare(CacheUnderTest cache, MixedOperation[] operations, int start)
    {
        switch (cache.Cache)
        {
            case InMemoryBackend backend:
                CacheWorkloads.Mixed(new CacheweaveAdapter(backend), operations, start, PerThread);
                break;
            case ConcurrentLru<string, BenchmarkValue> lru:
                CacheWorkloads.Mixed(new ConcurrentLruAdapter(lru), operations, start, PerThread);
                break;
            case ConcurrentLfu<string, BenchmarkValue> lfu:
                CacheWorkloads.Mixed(new ConcurrentLfuAdapter(lfu), operations, start, PerThread);
                break;
            default:
                throw new InvalidOperationException($"No timed loop for {cache.Name}.");
        }
    }
}
