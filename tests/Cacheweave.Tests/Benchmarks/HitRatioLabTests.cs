using Cacheweave.Benchmarks.HitRatio;
using Cacheweave.Benchmarks.Infrastructure;
using Cacheweave.Tests.Traces;

namespace Cacheweave.Tests.Benchmarks;

/// <summary>The hit-ratio lab's replay and its exact-LRU check, on the small gli trace.</summary>
public sealed class HitRatioLabTests
{
    [Fact]
    public void Lru_backends_reproduce_the_published_gli_hit_ratios()
    {
        var trace = Trace.Load(TraceDirectory.GetFile("gli.trace.gz"));
        var published = PublishedResults.LruHitPercent["gli"];

        foreach (var kind in HitRatioLab.ExactLruKinds)
        {
            foreach (var (capacity, percent) in published)
            {
                var hits = HitRatioLab.Replay(trace, kind, capacity);
                var check = new PublishedCheck(new HitRatioResult(trace.Name, capacity, kind, trace.Requests.Count, hits), percent, null);
                Assert.True(check.Matches, check.Describe());
            }
        }
    }

    [Fact]
    public void Replayed_keys_are_shared_so_a_replay_allocates_no_keys()
    {
        var trace = Trace.FromBlocks("sample", [7, 7]);

        Assert.Same(trace.Requests[0], trace.Requests[1]);
    }

    [Fact]
    public void A_cache_that_holds_every_key_misses_only_on_first_requests()
    {
        var trace = Trace.FromBlocks("sample", [1, 2, 1, 3, 2, 1]);

        foreach (var kind in HitRatioLab.Kinds)
        {
            Assert.Equal(3, HitRatioLab.Replay(trace, kind, capacity: 16));
        }
    }
}
