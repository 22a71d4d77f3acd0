using Cacheweave.Benchmarks.HitRatio;
using Cacheweave.Benchmarks.Infrastructure;

namespace Cacheweave.Tests.Benchmarks;

/// <summary>The hit-ratio lab's trace reading and its exact-LRU check, on the small gli trace.</summary>
public sealed class HitRatioLabTests
{
    [Fact]
    public void Lru_backends_reproduce_the_published_gli_hit_ratios()
    {
        var path = TraceLocator.FindTrace("gli");
        Assert.True(path is not null, "The trace gli.trace.gz was not found in ../shared/traces beside the repository; the hit-ratio tests need it.");
        var trace = Trace.Load(path);
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
    public void Lirs_reader_skips_lines_that_are_not_numbers_and_accepts_crlf()
    {
        using var reader = new StringReader("1\r\n*\r\n\r\n2\r\n 1 \r\nend\n3\n");

        var trace = Trace.Read("sample", reader, TraceFormat.Lirs);

        Assert.Equal(["1", "2", "1", "3"], trace.Requests);
        Assert.Equal(3, trace.DistinctKeys);
    }

    [Fact]
    public void Arc_reader_expands_each_line_into_consecutive_blocks()
    {
        using var reader = new StringReader("10 3 0 1\n11 1 0 2\n");

        var trace = Trace.Read("sample", reader, TraceFormat.Arc);

        Assert.Equal(["10", "11", "12", "11"], trace.Requests);
        Assert.Equal(3, trace.DistinctKeys);
    }

    [Fact]
    public void Arc_reader_names_the_line_it_cannot_read()
    {
        using var reader = new StringReader("10 3 0 1\nten 3 0 1\n");

        var error = Assert.Throws<InvalidDataException>(() => Trace.Read("sample", reader, TraceFormat.Arc));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replayed_keys_are_shared_so_a_replay_allocates_no_keys()
    {
        using var reader = new StringReader("7\n7\n");

        var trace = Trace.Read("sample", reader, TraceFormat.Lirs);

        Assert.Same(trace.Requests[0], trace.Requests[1]);
    }

    [Fact]
    public void A_cache_that_holds_every_key_misses_only_on_first_requests()
    {
        using var reader = new StringReader("1\n2\n1\n3\n2\n1\n");
        var trace = Trace.Read("sample", reader, TraceFormat.Lirs);

        foreach (var kind in HitRatioLab.Kinds)
        {
            Assert.Equal(3, HitRatioLab.Replay(trace, kind, capacity: 16));
        }
    }
}
