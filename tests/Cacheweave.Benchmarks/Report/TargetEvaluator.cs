using System.Globalization;
using Cacheweave.Benchmarks.Backends;
using Cacheweave.Benchmarks.Infrastructure;
using Cacheweave.Benchmarks.Interception;
using Cacheweave.Benchmarks.Memory;

namespace Cacheweave.Benchmarks.Report;

/// <summary>Sets the measurements against the performance targets of issue 5.</summary>
public static class TargetEvaluator
{
    private const string SmallCapacity = "Capacity=1000";
    private const string LargeCapacity = "Capacity=1000000";

    private static readonly CacheKind[] Backends = [CacheKind.CacheweaveLru, CacheKind.CacheweaveLfu, CacheKind.CacheweaveTtl, CacheKind.CacheweaveLruTtl];

    /// <summary>Every target, in the order of the issue, with one row per backend or proxy shape.</summary>
    public static IReadOnlyList<TargetResult> Evaluate(MeasurementSet measurements, IReadOnlyList<MemoryFootprintResult> memory)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        ArgumentNullException.ThrowIfNull(memory);
        var results = new List<TargetResult>();
        results.AddRange(ProxyTargets(measurements));
        results.AddRange(InMemoryTargets(measurements, memory));
        results.AddRange(TinyLfuTargets(measurements));
        return results;
    }

    private static IEnumerable<TargetResult> ProxyTargets(MeasurementSet set)
    {
        const string calls = nameof(CachedCallBenchmarks);
        foreach (var distinct in new[] { 1, 1024, 100_000 })
        {
            var parameters = string.Create(CultureInfo.InvariantCulture, $"DistinctCalls={distinct}");
            var suffix = distinct == 1 ? " (repeated call)" : string.Create(CultureInfo.InvariantCulture, $" ({distinct:N0} distinct calls)");
            BenchmarkMeasurement? Find(string method) => set.Find(calls, method, parameters);
            var fusion = Find(nameof(CachedCallBenchmarks.FusionCacheGetOrSetAsync));

            // The faster of HybridCache's two overloads, so that the comparison is with its best.
            var hybrid = new[] { Find(nameof(CachedCallBenchmarks.HybridCacheGetOrCreateAsync)), Find(nameof(CachedCallBenchmarks.HybridCacheGetOrCreateAsyncWithState)) }
                .OfType<BenchmarkMeasurement>()
                .MinBy(m => m.Nanoseconds);
            // Against the pass-through proxy, whose target returns a completed task it keeps: allocating no more than it
            // means allocating nothing beyond Castle's invocation, and for Task<T> in particular no new task.
            var shapes = new[]
            {
                (Name: "Task<T>", Proxy: Find(nameof(CachedCallBenchmarks.CacheweaveTask)), PassThrough: Find(nameof(CachedCallBenchmarks.PassThroughProxyTask)),
                    Target: "proxied Task<T> hit allocates no new task"),
                (Name: "ValueTask<T>", Proxy: Find(nameof(CachedCallBenchmarks.CacheweaveValueTask)), PassThrough: Find(nameof(CachedCallBenchmarks.PassThroughProxyValueTask)),
                    Target: "proxied ValueTask<T> hit allocates nothing beyond Castle's invocation"),
            };
            foreach (var shape in shapes)
            {
                yield return Ratio("proxied hit ≤ 1× FusionCache GetOrSetAsync", shape.Name + suffix, shape.Proxy, fusion, max: 1);
                yield return Ratio("proxied hit ≤ 3× HybridCache GetOrCreateAsync (its faster overload)", shape.Name + suffix, shape.Proxy, hybrid, max: 3);
                yield return Combined(
                    "proxied hit allocates less than FusionCache",
                    shape.Name + suffix,
                    shape.Proxy,
                    fusion,
                    (p, f) => p.AllocatedBytes < f.AllocatedBytes,
                    (p, f) => $"{Bytes(p.AllocatedBytes)} vs {Bytes(f.AllocatedBytes)}");
                yield return Combined(
                    shape.Target,
                    shape.Name + suffix,
                    shape.Proxy,
                    shape.PassThrough,
                    (p, c) => p.AllocatedBytes <= c.AllocatedBytes,
                    (p, c) => $"{SignedBytes(p.AllocatedBytes - c.AllocatedBytes)} over the pass-through proxy");
            }
        }
    }

    // Issue 12: W-TinyLFU is measured against the W-TinyLFU it replaces, BitFaster's ConcurrentLfu.
    private static IEnumerable<TargetResult> TinyLfuTargets(MeasurementSet set)
    {
        var subject = CacheUnderTest.DisplayName(CacheKind.CacheweaveTinyLfu);
        const string getHit = nameof(GetHitBenchmarks);
        var tinyLfuHit = set.Find(getHit, nameof(CacheKind.CacheweaveTinyLfu), SmallCapacity);
        var getHitTarget = Combined(
            "TinyLFU get-hit ≤ 1.5× ConcurrentLfu.TryGet, 0 B allocated",
            subject + " TryGet",
            tinyLfuHit,
            set.Find(getHit, nameof(CacheKind.ConcurrentLfu), SmallCapacity),
            (h, b) => h.Nanoseconds / b.Nanoseconds <= 1.5 && h.AllocatedBytes == 0,
            (h, b) => $"{h.Nanoseconds / b.Nanoseconds:0.00}×, {Bytes(h.AllocatedBytes)}");
        var foreground = set.Find(getHit, nameof(GetHitBenchmarks.ConcurrentLfuForeground), SmallCapacity);
        yield return tinyLfuHit is null || foreground is null
            ? getHitTarget
            : getHitTarget with
            {
                Detail = getHitTarget.Detail + string.Create(
                    CultureInfo.InvariantCulture,
                    $"; against ConcurrentLfu doing its maintenance on the reading thread ({foreground.Nanoseconds:0.#} ns): {tinyLfuHit.Nanoseconds / foreground.Nanoseconds:0.00}×"),
            };

        const string mixed = nameof(MixedWorkloadBenchmarks);
        yield return Combined(
            "TinyLFU 2-thread 80/20 mix ≥ 0.8× ConcurrentLfu throughput",
            subject,
            set.Find(mixed, nameof(CacheKind.CacheweaveTinyLfu), SmallCapacity + ", Threads=2"),
            set.Find(mixed, nameof(CacheKind.ConcurrentLfu), SmallCapacity + ", Threads=2"),
            (r, b) => b.Nanoseconds / r.Nanoseconds >= 0.8,
            (r, b) => $"{b.Nanoseconds / r.Nanoseconds:0.00}× throughput");
    }

    private static IEnumerable<TargetResult> InMemoryTargets(MeasurementSet set, IReadOnlyList<MemoryFootprintResult> memory)
    {
        const string getHit = nameof(GetHitBenchmarks);
        var lru = set.Find(getHit, nameof(CacheKind.ConcurrentLru), SmallCapacity);
        var memoryCache = set.Find(getHit, nameof(CacheKind.MemoryCache), SmallCapacity);
        var lruVersusMemoryCache = Itself(lru, memoryCache);
        foreach (var kind in Backends)
        {
            foreach (var (method, how) in new[] { (kind.ToString(), "TryGet"), (kind + "GetAsync", "GetAsync") })
            {
                var hit = set.Find(getHit, method, SmallCapacity);
                var subject = $"{CacheUnderTest.DisplayName(kind)} {how}";
                yield return Ratio("in-memory get-hit ≤ 2× ConcurrentLru.TryGet", subject, hit, lru, max: 2);
                var versusMemoryCache = Combined(
                    "in-memory get-hit ≤ 0.5× MemoryCache.TryGetValue, 0 B allocated",
                    subject,
                    hit,
                    memoryCache,
                    (h, m) => h.Nanoseconds / m.Nanoseconds <= 0.5 && h.AllocatedBytes == 0,
                    (h, m) => $"{h.Nanoseconds / m.Nanoseconds:0.00}×, {Bytes(h.AllocatedBytes)}");
                yield return versusMemoryCache with { Detail = versusMemoryCache.Detail + lruVersusMemoryCache };
            }
        }

        const string mixed = nameof(MixedWorkloadBenchmarks);
        var lruMixed = set.Find(mixed, nameof(CacheKind.ConcurrentLru), SmallCapacity + ", Threads=2");
        foreach (var kind in Backends)
        {
            var run = set.Find(mixed, kind.ToString(), SmallCapacity + ", Threads=2");
            yield return Combined(
                "2-thread 80/20 mix ≥ 0.5× ConcurrentLru throughput",
                CacheUnderTest.DisplayName(kind),
                run,
                lruMixed,
                (r, b) => b.Nanoseconds / r.Nanoseconds >= 0.5,
                (r, b) => $"{b.Nanoseconds / r.Nanoseconds:0.00}× throughput");
        }

        foreach (var kind in Backends)
        {
            var small = set.Find(getHit, kind.ToString(), SmallCapacity);
            var large = set.Find(getHit, kind.ToString(), LargeCapacity);
            var reference = set.Find(getHit, nameof(CacheKind.ConcurrentLru), LargeCapacity) is { } l && lru is not null
                ? string.Create(CultureInfo.InvariantCulture, $"; ConcurrentLru itself: {l.Nanoseconds / lru.Nanoseconds:0.00}×")
                : string.Empty;
            var result = Ratio("get-hit at 1,000,000 entries ≤ 2× get-hit at 1,000", CacheUnderTest.DisplayName(kind), large, small, max: 2);
            yield return result with { Detail = result.Detail + reference };
        }

        var lruMemory = memory.FirstOrDefault(m => m.Kind == CacheKind.ConcurrentLru);
        foreach (var kind in Backends)
        {
            var own = memory.FirstOrDefault(m => m.Kind == kind);
            if (own is null || lruMemory is null)
            {
                yield return new TargetResult("retained bytes per entry ≤ ConcurrentLru's", CacheUnderTest.DisplayName(kind), "-", null, "memory mode did not run");
                continue;
            }

            var ratio = own.RetainedBytesPerEntry / lruMemory.RetainedBytesPerEntry;
            // The expiring backends also against BitFaster's expiring LRU, which pays for a time to live too.
            var expiring = kind is CacheKind.CacheweaveTtl or CacheKind.CacheweaveLruTtl
                && memory.FirstOrDefault(m => m.Kind == CacheKind.ConcurrentTLru) is { } tlru
                ? string.Create(CultureInfo.InvariantCulture, $"; vs ConcurrentTLru ({tlru.RetainedBytesPerEntry:N0} B): {own.RetainedBytesPerEntry / tlru.RetainedBytesPerEntry:0.00}×")
                : string.Empty;
            yield return new TargetResult(
                "retained bytes per entry ≤ ConcurrentLru's",
                CacheUnderTest.DisplayName(kind),
                string.Create(CultureInfo.InvariantCulture, $"{ratio:0.00}×"),
                ratio <= 1,
                string.Create(CultureInfo.InvariantCulture, $"{own.RetainedBytesPerEntry:N0} B vs {lruMemory.RetainedBytesPerEntry:N0} B per entry at {own.EntriesHeld:N0} entries{expiring}"));
        }
    }

    // What BitFaster's ConcurrentLru, which does nothing on a hit but look the key up and set a flag, measures against
    // the same reference: the floor a string-keyed map sets for every cache here.
    private static string Itself(BenchmarkMeasurement? lru, BenchmarkMeasurement? reference) =>
        lru is not null && reference is not null
            ? string.Create(CultureInfo.InvariantCulture, $"; ConcurrentLru itself: {lru.Nanoseconds / reference.Nanoseconds:0.00}×")
            : string.Empty;

    /// <summary>A time ratio <paramref name="measured"/> ÷ <paramref name="reference"/> that must not exceed <paramref name="max"/>.</summary>
    internal static TargetResult Ratio(string target, string subject, BenchmarkMeasurement? measured, BenchmarkMeasurement? reference, double max) =>
        Combined(target, subject, measured, reference, (m, r) => m.Nanoseconds / r.Nanoseconds <= max, (m, r) => $"{m.Nanoseconds / r.Nanoseconds:0.00}×");

    /// <summary>A target over two measurements, "not measured" when either is missing.</summary>
    internal static TargetResult Combined(
        string target,
        string subject,
        BenchmarkMeasurement? measured,
        BenchmarkMeasurement? reference,
        Func<BenchmarkMeasurement, BenchmarkMeasurement, bool> met,
        Func<BenchmarkMeasurement, BenchmarkMeasurement, FormattableString> describe)
    {
        if (measured is null || reference is null)
        {
            return new TargetResult(target, subject, "-", null, "benchmark did not run");
        }

        return new TargetResult(
            target,
            subject,
            describe(measured, reference).ToString(CultureInfo.InvariantCulture),
            met(measured, reference),
            $"{Describe(measured)} vs {Describe(reference)}");
    }

    /// <summary>A measurement as "method 12.3 ns, 0 B".</summary>
    internal static string Describe(BenchmarkMeasurement m) =>
        string.Create(CultureInfo.InvariantCulture, $"{m.Method} {Nanoseconds(m.Nanoseconds)}, {Bytes(m.AllocatedBytes)}");

    /// <summary>Nanoseconds with sensible precision.</summary>
    internal static string Nanoseconds(double ns) =>
        ns >= 100 ? ns.ToString("N0", CultureInfo.InvariantCulture) + " ns" : ns.ToString("0.0", CultureInfo.InvariantCulture) + " ns";

    /// <summary>A difference in bytes per operation with its sign, "?" when not measured.</summary>
    internal static string SignedBytes(double? bytes) => bytes is { } b ? (b >= 0 ? "+" : "−") + Bytes(Math.Abs(b)) : "? B";

    /// <summary>Bytes per operation, "?" when not measured.</summary>
    internal static string Bytes(double? bytes) =>
        bytes is { } b ? b.ToString(b < 10 && b != Math.Floor(b) ? "0.##" : "N0", CultureInfo.InvariantCulture) + " B" : "? B";
}
