using System.Diagnostics;
using Cacheweave.Backends;
using Cacheweave.DependencyInjection;
using Cacheweave.Interception;
using Cacheweave.Redis.Tests.Infrastructure;
using Cacheweave.Resilience;
using Cacheweave.Tiers;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Cacheweave.Redis.Tests.Tags;

/// <summary>Tags on the two-level Redis tier, in process: outages, scale and clearing across nodes.</summary>
public sealed class TagRedisTests(RedisServerFixture fixture, ITestOutputHelper output) : RedisTestBase(fixture), IDisposable
{
    private readonly string _truth = Directory.CreateTempSubdirectory("cw-tags-").FullName;

    public void Dispose() => Directory.Delete(_truth, recursive: true);

    /// <summary>
    /// A tag invalidated while Redis sleeps (DEBUG SLEEP: it keeps its data) is pending; once Redis answers, the removal
    /// of the tag version is replayed to Redis and announced, so neither the other node (which held the old version in
    /// its L1) nor a node started afterwards (which reads Redis) serves the old value.
    /// </summary>
    [Fact]
    public async Task A_tag_invalidation_made_during_a_Redis_outage_is_replayed_when_Redis_answers()
    {
        ItemReader.Write(_truth, 1, 1);
        await using var server = await RedisServer.StartAsync(RedisServer.BinaryPath!, "--appendonly", "yes", "--enable-debug-command", "yes");
        var (writer, writerProxy, writerInvalidator) = await NodeAsync(server.Configuration);
        var (_, readerProxy, _) = await NodeAsync(server.Configuration);
        Assert.Equal(1, await writerProxy.GetAsync(1));
        Assert.Equal(1, await readerProxy.GetAsync(1));

        ItemReader.Write(_truth, 1, 2);
        var sleep = RedisAdmin.SendAsync(server.Port, "DEBUG", "SLEEP", "3");
        await Task.Delay(100);
        Assert.False(sleep.IsCompleted, "DEBUG SLEEP answered at once");
        var result = await writerInvalidator.InvalidateTagAsync("item:1");
        Assert.Equal(CacheInvalidationResult.Pending, result);
        Assert.Equal(2, await writerProxy.GetAsync(1));

        await sleep;
        var shared = ((TwoLevelBackend)writer.GetRequiredService<ICacheBackend>()).SharedTier;
        await Eventually.HoldsAsync(() => Task.FromResult(shared.PendingInvalidationCount == 0 && !shared.IsHanging), TimeSpan.FromSeconds(30), "the writer replays its pending removals");
        await Eventually.HoldsAsync(async () => await readerProxy.GetAsync(1) == 2, TimeSpan.FromSeconds(10), "the other node drops the old value");
        var (_, lateProxy, _) = await NodeAsync(server.Configuration);
        Assert.Equal(2, await lateProxy.GetAsync(1));
        Assert.Equal(2, await readerProxy.GetAsync(1));
    }

    [Fact]
    public async Task A_tag_covering_100000_entries_on_Redis_is_invalidated_with_one_removal()
    {
        const int Entries = 100_000;
        var backend = Track(CreateRedisBackend());
        var services = new ServiceCollection();
        services.AddCacheweave(b => b.UseDefaultBackend(_ => backend));
        var items = new TenantItems();
        services.AddSingleton<ITenantItems>(items);
        services.AddCachedProxy<ITenantItems>();
        var provider = Track(services.BuildServiceProvider());
        var proxy = provider.GetRequiredService<ITenantItems>();
        var fill = Stopwatch.StartNew();
        for (var start = 0; start < Entries; start += 1_000)
        {
            await Task.WhenAll(Enumerable.Range(start, 1_000).Select(id => proxy.GetAsync(7, id)));
        }

        fill.Stop();
        Assert.True(await backend.CountAsync() >= Entries);
        Assert.Equal(7_000_005L, await proxy.GetAsync(7, 5));

        var clock = Stopwatch.StartNew();
        var result = await provider.GetRequiredService<ICacheInvalidator>().InvalidateTagAsync("tenant:7");
        clock.Stop();
        output.WriteLine($"filled {Entries:N0} tagged Redis entries in {fill.Elapsed.TotalSeconds:F1} s; invalidating their tag took {clock.Elapsed.TotalMilliseconds:F2} ms");

        Assert.Equal(CacheInvalidationResult.Removed, result);
        var runs = items.Runs;
        for (var id = 0; id < Entries; id += 9_973)
        {
            await proxy.GetAsync(7, id);
        }

        Assert.Equal(runs + (Entries + 9_972) / 9_973, items.Runs);
    }

    [Fact]
    public async Task ClearAsync_on_one_node_empties_Redis_and_the_L1_of_the_other_node()
    {
        ItemReader.Write(_truth, 1, 1);
        var (a, aProxy, aInvalidator) = await NodeAsync();
        var (b, bProxy, _) = await NodeAsync();
        Assert.Equal(1, await aProxy.GetAsync(1));
        Assert.Equal(1, await bProxy.GetAsync(1));
        var bLocal = ((TwoLevelBackend)b.GetRequiredService<ICacheBackend>()).LocalTier;
        Assert.True(await bLocal.CountAsync() > 0);

        await aInvalidator.ClearAsync();

        await Eventually.HoldsAsync(async () => await bLocal.CountAsync() == 0, TimeSpan.FromSeconds(5), "B clears its L1");
        Assert.Equal(0, await a.GetRequiredService<ICacheBackend>().CountAsync());
    }

    private async Task<(ServiceProvider Provider, IItemReader Proxy, ICacheInvalidator Invalidator)> NodeAsync(string? configuration = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IItemReader>(new ItemReader(_truth));
        services.AddCacheweave(b => b.UseRedis(configuration ?? Fixture.Server.Configuration, twoLevel: true, o =>
        {
            o.KeyPrefix = Prefix;
            o.Timeout = TimeSpan.FromMilliseconds(250);
            o.CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 3, BreakDuration = TimeSpan.FromMilliseconds(500) };
        }));
        services.AddCachedProxy<IItemReader>();
        var provider = Track(services.BuildServiceProvider());
        await BackgroundConnection.ConnectedAsync(provider.GetRequiredService<ICacheBackend>());
        return (provider, provider.GetRequiredService<IItemReader>(), provider.GetRequiredService<ICacheInvalidator>());
    }
}
