using Cacheweave.Backends;
using Cacheweave.DependencyInjection;
using Cacheweave.Interception;
using Cacheweave.Redis.Tests.Faults;
using Cacheweave.Redis.Tests.Infrastructure;
using Cacheweave.Tiers;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Cacheweave.Redis.Tests.Tags;

/// <summary>
/// Node A is this test process, node B a Cacheweave.FaultNode process (its own container, connections and L1): both
/// cache <c>item:{id}</c>-tagged reads in a two-level tier over one redis-server.
/// </summary>
public sealed class TagAcrossProcessesTests(RedisServerFixture fixture, ITestOutputHelper output) : RedisTestBase(fixture), IDisposable
{
    private static readonly TimeSpan s_startup = TimeSpan.FromSeconds(90);
    private readonly string _truth = Directory.CreateTempSubdirectory("cw-tags-").FullName;

    public void Dispose() => Directory.Delete(_truth, recursive: true);

    [Fact]
    public async Task A_tag_invalidated_on_A_is_gone_from_B_within_a_second_and_B_racing_write_never_survives()
    {
        ItemReader.Write(_truth, 1, 0);
        var a = await NodeAAsync();
        await using var b = FaultNodeProcess.Start("B", Path.Combine(_truth, "journal"),
            "--tags", "--redis", Fixture.Server.Configuration, "--prefix", Prefix, "--truth", _truth);
        await b.WaitForAsync("ready", s_startup);

        // B caches the item (L1 and L2); A reads the same item through its own tagged method.
        Assert.Equal(0, await ReadOnBAsync(b));
        Assert.Equal(0, await a.Proxy.GetAsync(1));

        ItemReader.Write(_truth, 1, 1);
        Assert.Equal(0, await ReadOnBAsync(b));
        Assert.Equal(CacheInvalidationResult.Removed, await a.Invalidator.InvalidateTagAsync("item:1"));
        var gone = await Eventually.HoldsAsync(async () => await ReadOnBAsync(b) == 1, TimeSpan.FromSeconds(1), "B stops serving item 1 of before the invalidation");
        output.WriteLine($"B served the new value {gone.TotalMilliseconds:F0} ms after A's tag invalidation returned");

        for (var round = 1; round <= 5; round++)
        {
            // A new item each round, so that B's call misses: it reads the truth (round), then holds its result while
            // A changes the truth and invalidates the tag; B then stores the old value, after the invalidation, under
            // the key built from the tag version it read before running the method.
            var id = 100 + round;
            ItemReader.Write(_truth, id, round);
            await b.SendAsync($"race {id}");
            await b.WaitForAsync("started", TimeSpan.FromSeconds(30));
            ItemReader.Write(_truth, id, round + 1);
            Assert.NotEqual(CacheInvalidationResult.Pending, await a.Invalidator.InvalidateTagAsync($"item:{id}"));
            Assert.Equal($"{round}", await b.WaitForLineAsync("raced ", TimeSpan.FromSeconds(30)));

            await Eventually.HoldsAsync(async () => await ReadOnBAsync(b, id) == round + 1, TimeSpan.FromSeconds(1), $"round {round}: B serves the new value");
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(round + 1, await ReadOnBAsync(b, id));
                Assert.Equal(round + 1, await a.Proxy.GetAsync(id));
            }
        }

        await b.SendAsync("stop");
        await b.WaitForAsync("stopped", TimeSpan.FromSeconds(30));
    }

    private static async Task<long> ReadOnBAsync(FaultNodeProcess b, int id = 1)
    {
        await b.SendAsync($"read {id}");
        return long.Parse(await b.WaitForLineAsync("value ", TimeSpan.FromSeconds(30)), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<(IItemReader Proxy, ICacheInvalidator Invalidator)> NodeAAsync()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IItemReader>(new ItemReader(_truth));
        services.AddCacheweave(b => b.UseRedis(Fixture.Server.Configuration, twoLevel: true, o => o.KeyPrefix = Prefix));
        services.AddCachedProxy<IItemReader>();
        var provider = Track(services.BuildServiceProvider());
        await BackgroundConnection.ConnectedAsync(provider.GetRequiredService<ICacheBackend>());
        return (provider.GetRequiredService<IItemReader>(), provider.GetRequiredService<ICacheInvalidator>());
    }
}
