using System.Diagnostics;
using Cacheweave.Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Cacheweave.Redis.Tests;

public sealed class ClearAndCountTests(RedisServerFixture fixture, ITestOutputHelper output) : RedisTestBase(fixture)
{
    [Fact]
    public async Task Clearing_a_hundred_thousand_entries_removes_only_this_prefix()
    {
        const int entries = 100_000;
        var backend = CreateRedisBackend();
        var neighbour = CreateRedisBackend(Prefix.TrimEnd(':') + "0:");
        await neighbour.PutAsync("survivor", "still here");
        await Database.StringSetAsync("unprefixed:" + Prefix, "also still here");

        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, entries).Select(i => backend.PutAsync($"k{i}", i).AsTask()));
        var putTime = watch.Elapsed;
        Assert.Equal(entries, await backend.CountAsync());

        watch.Restart();
        await backend.ClearAsync();
        var clearTime = watch.Elapsed;

        Assert.Equal(0, await backend.CountAsync());
        Assert.Equal(1, await neighbour.CountAsync());
        Assert.Equal("still here", (await neighbour.GetAsync<string>("survivor")).Value);
        Assert.Equal("also still here", (string?)await Database.StringGetAsync("unprefixed:" + Prefix));
        output.WriteLine($"put {entries:N0} pipelined: {putTime.TotalMilliseconds:F0} ms; clear (SCAN + UNLINK): {clearTime.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Glob_characters_in_the_prefix_match_only_themselves()
    {
        var odd = CreateRedisBackend(Prefix + "a*[b]?\\:");
        var lookalike = CreateRedisBackend(Prefix + "aXbY\\:");
        await odd.PutAsync("k", 1);
        await lookalike.PutAsync("k", 2);

        Assert.Equal(1, await odd.CountAsync());
        await odd.ClearAsync();

        Assert.Equal(0, await odd.CountAsync());
        Assert.Equal(2, (await lookalike.GetAsync<int>("k")).Value);
    }

    [Fact]
    public async Task Count_sees_only_live_keys_of_this_prefix()
    {
        var backend = CreateRedisBackend();
        var other = CreateRedisBackend(Prefix + "nested-but-distinct-backend-is-a-sub-prefix:");
        await backend.PutAsync("a", 1);
        await backend.PutAsync("b", 2);
        await backend.RemoveAsync("b");

        Assert.Equal(1, await backend.CountAsync());
        Assert.Equal(0, await other.CountAsync());
    }
}
