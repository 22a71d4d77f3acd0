using Cacheweave.Backends;
using Cacheweave.Tests.Traces;

namespace Cacheweave.Tests.Backends;

/// <summary>
/// Replays published cache traces through <see cref="LruBackend"/> (cold start; read, and write on a miss) and
/// checks the LRU hit counts published for them: a true LRU must reproduce them exactly. OLTP is the trace of
/// Megiddo and Modha, "ARC: A Self-Tuning, Low Overhead Replacement Cache" (FAST 2003); gli is from Jiang and
/// Zhang, "LIRS" (SIGMETRICS 2002).
/// </summary>
public sealed class LruTraceHitRatioTests
{
    private const int OltpRequests = 914_145;

    private static readonly Lazy<string[]> Oltp = new(() => TraceReplay.Keys("OLTP.lis.gz", TraceFormat.Arc));
    private static readonly Lazy<string[]> Gli = new(() => TraceReplay.Keys("gli.trace.gz", TraceFormat.Lirs));

    [Theory]
    [InlineData(1_000, 300_122)]
    [InlineData(5_000, 490_443)]
    public async Task Lru_replay_of_the_oltp_trace_has_the_published_hit_count(int capacity, long expectedHits)
    {
        var keys = Oltp.Value;
        Assert.Equal(OltpRequests, keys.Length);

        var hits = await ReplayAsync(keys, capacity);

        Assert.Equal(expectedHits, hits);
    }

    [Theory]
    [InlineData(1_000, 11.21)]
    [InlineData(2_000, 57.41)]
    public async Task Lru_replay_of_the_gli_trace_has_the_published_hit_ratio(int capacity, double expectedPercent)
    {
        var keys = Gli.Value;

        var hits = await ReplayAsync(keys, capacity);

        Assert.Equal(expectedPercent, Math.Round(100.0 * hits / keys.Length, 2, MidpointRounding.AwayFromZero));
    }

    private static async Task<long> ReplayAsync(string[] keys, int capacity)
    {
        using var backend = new LruBackend(capacity);
        long hits = 0;
        foreach (var key in keys)
        {
            if ((await backend.GetAsync<int>(key)).HasValue)
            {
                hits++;
            }
            else
            {
                await backend.PutAsync(key, 0);
            }
        }

        var misses = keys.Length - hits;
        Assert.Equal(new CacheStatistics(hits, misses, Math.Max(0, misses - capacity), 0, Math.Min(capacity, misses)), backend.Statistics);
        return hits;
    }
}
