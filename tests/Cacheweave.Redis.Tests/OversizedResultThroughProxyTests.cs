using Cacheweave.Backends;
using Cacheweave.DependencyInjection;
using Cacheweave.Redis.Tests.Infrastructure;
using Cacheweave.Resilience;
using Cacheweave.Tiers;
using Microsoft.Extensions.DependencyInjection;

namespace Cacheweave.Redis.Tests;

/// <summary>
/// Issue 8 #10 end to end: a result above the shared tier's maximum value size is returned to the caller, not written,
/// and is not a tier failure — the circuits stay closed and small results keep being cached in Redis.
/// </summary>
public sealed class OversizedResultThroughProxyTests(RedisServerFixture fixture) : RedisTestBase(fixture)
{
    private const int FiftyMegabytes = 50 * 1024 * 1024;

    [Fact]
    public async Task A_50_MB_result_is_returned_uncached_and_leaves_the_circuits_closed_and_small_results_cached()
    {
        var report = new ReportService();
        var services = new ServiceCollection();
        services.AddSingleton<IReportService>(report);
        // A generous timeout: this test is about refused values, and on a loaded machine a lookup slower than the default
        // 500 ms would put the tier in its fail-fast state, where writes are skipped (the value then stays in L1 only).
        services.AddCacheweave(b => b.UseRedis(Fixture.Server.Configuration, twoLevel: true, o =>
        {
            o.KeyPrefix = Prefix;
            o.Timeout = TimeSpan.FromSeconds(10);
        }));
        services.AddCachedProxy<IReportService>();
        var provider = Track(services.BuildServiceProvider());
        var backend = Assert.IsType<TwoLevelBackend>(await BackgroundConnection.ConnectedAsync(provider.GetRequiredService<ICacheBackend>()));
        var proxy = provider.GetRequiredService<IReportService>();

        // Several calls, more than the breaker's failure threshold: none of them may count as a failure of the tier.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(FiftyMegabytes, (await proxy.RenderAsync(FiftyMegabytes)).Length);
        }

        Assert.Equal(4, report.Runs);
        Assert.Equal(CircuitState.Closed, backend.SharedTier.WriteCircuit.State);
        Assert.Equal(CircuitState.Closed, backend.SharedTier.ReadCircuit.State);
        Assert.Equal(0, await CountKeysAsync());

        Assert.Equal(10, (await proxy.RenderAsync(10)).Length);
        Assert.Equal(10, (await proxy.RenderAsync(10)).Length);
        Assert.Equal(5, report.Runs);
        Assert.Equal(1, await CountKeysAsync());
    }

    private async Task<int> CountKeysAsync()
    {
        var count = 0;
        await foreach (var _ in Multiplexer.GetServer(Fixture.Server.Configuration).KeysAsync(pattern: Prefix + "*"))
        {
            count++;
        }

        return count;
    }
}
