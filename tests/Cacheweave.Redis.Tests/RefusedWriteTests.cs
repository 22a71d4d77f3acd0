using Cacheweave.Backends;
using Cacheweave.DependencyInjection;
using Cacheweave.Interception;
using Cacheweave.Redis.Tests.Infrastructure;
using Cacheweave.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace Cacheweave.Redis.Tests;

/// <summary>
/// A write Redis refuses takes the key's earlier value with it, as an in-memory backend's refusal does, so that a
/// refresh whose result cannot be stored never leaves the value it was to replace (issue "Keys and values you can trust").
/// </summary>
public sealed class RefusedWriteTests(RedisServerFixture fixture) : RedisTestBase(fixture)
{
    public interface IReports
    {
        [Cached]
        Task<string> RenderAsync(int id);
    }

    public sealed class Reports : IReports
    {
        private int _runs;

        public int Length { get; set; } = 10;

        public int Runs => Volatile.Read(ref _runs);

        public Task<string> RenderAsync(int id)
        {
            Interlocked.Increment(ref _runs);
            return Task.FromResult(new string(Length > 100 ? 'b' : 'a', Length));
        }
    }

    [Fact]
    public async Task A_refused_write_removes_the_earlier_value_from_Redis()
    {
        var backend = Track(CreateRedisBackend());
        await backend.PutAsync("report", "old");

        var refused = await Assert.ThrowsAsync<CacheValueRejectedException>(
            async () => await backend.PutAsync("report", new string('x', RedisBackendOptions.DefaultMaximumValueSize + 1)));

        Assert.Equal(CacheValueRejectionReason.TooLarge, refused.Reason);
        Assert.False((await backend.GetAsync<string>("report")).HasValue);
        Assert.False(await Database.KeyExistsAsync(Prefix + "report"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_refresh_whose_result_Redis_refuses_leaves_no_older_value_to_answer(bool twoLevel)
    {
        var reports = new Reports();
        var services = new ServiceCollection();
        services.AddSingleton<IReports>(reports);
        services.AddCacheweave(b => b.UseRedis(Fixture.Server.Configuration, twoLevel, o =>
        {
            o.KeyPrefix = Prefix;
            o.Timeout = TimeSpan.FromSeconds(10);
        }));
        services.AddCachedProxy<IReports>();
        var provider = Track(services.BuildServiceProvider());
        await BackgroundConnection.ConnectedAsync(provider.GetRequiredService<ICacheBackend>());
        var proxy = provider.GetRequiredService<IReports>();
        Assert.Equal(10, (await proxy.RenderAsync(1)).Length);
        Assert.Equal(10, (await proxy.RenderAsync(1)).Length);
        Assert.Equal(1, reports.Runs);

        reports.Length = 2_000_000;
        using (CacheScope.Refresh())
        {
            Assert.Equal(2_000_000, (await proxy.RenderAsync(1)).Length);
        }

        // Before: the refused refresh left the 10-character report in Redis (and L1), and every later call got it.
        Assert.Equal(2_000_000, (await proxy.RenderAsync(1)).Length);
        Assert.Equal(3, reports.Runs);
    }
}
